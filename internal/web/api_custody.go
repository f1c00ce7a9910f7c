package web

import "net/http"

// apiCustodyRoutes are the JSON endpoints of package custody.
func (s *Server) apiCustodyRoutes(mux *http.ServeMux) {
}
