package web

import (
	"errors"

	"provim/internal/apperr"
)

func asAppErr(err error, target **apperr.Error) bool { return errors.As(err, target) }
