package results_test

import "provim/internal/apperr"

func apperrCode(err error) string { return apperr.CodeOf(err) }
