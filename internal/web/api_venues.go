package web

import "net/http"

// apiVenuesRoutes are the JSON endpoints of package venues.
func (s *Server) apiVenuesRoutes(mux *http.ServeMux) {
}
