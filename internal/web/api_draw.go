package web

import "net/http"

// apiDrawRoutes are the JSON endpoints of package draw.
func (s *Server) apiDrawRoutes(mux *http.ServeMux) {
}
