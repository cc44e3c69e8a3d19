package server

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/watchpost/watchpost/domain"
)

// Every retention left unset keeps its default: a zero Devices once made the purge job
// forget every known device each hour.
func TestRetentionZeroKeepsDefaults(t *testing.T) {
	t.Parallel()
	assert.Equal(t, domain.DefaultRetention(), withDefaults(domain.Retention{}, domain.DefaultRetention()))
}
