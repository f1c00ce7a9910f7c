package web

import "net/http"

// drawRoutes are the pages of package draw.
func (s *Server) drawRoutes(mux *http.ServeMux) {
}
