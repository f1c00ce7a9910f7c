package web

import "net/http"

// venuesRoutes are the pages of package venues.
func (s *Server) venuesRoutes(mux *http.ServeMux) {
}
