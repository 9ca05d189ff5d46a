package data

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSchema_Documented keeps docs/data-format.md in step with Schemas.
func TestSchema_Documented(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../docs/data-format.md")
	require.NoError(t, err)
	doc := string(raw)
	for _, s := range Schemas {
		i := strings.Index(doc, "### `"+s.Name+"`")
		require.GreaterOrEqual(t, i, 0, "layer %s not documented", s.Name)
		section := doc[i:]
		if j := strings.Index(section[4:], "### "); j >= 0 {
			section = section[:j+4]
		}
		for _, p := range s.Properties {
			require.Contains(t, section, "| `"+p.Name+"` | "+string(p.Type)+" |", "%s.%s", s.Name, p.Name)
		}
	}
}
