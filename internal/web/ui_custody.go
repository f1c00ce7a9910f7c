package web

import "net/http"

// custodyRoutes are the pages of package custody.
func (s *Server) custodyRoutes(mux *http.ServeMux) {
}
