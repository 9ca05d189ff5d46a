package api

import (
	"fmt"
	"strings"
)

// Role is what a credential may do. Every token has one role.
type Role string

// The roles a token can have.
const (
	// RoleViewer reads the public layers and the aggregate analyses.
	RoleViewer Role = "viewer"
	// RoleAnalyst reads everything: police layers, cameras, nearest
	// responders, scenarios, metrics and exact small counts.
	RoleAnalyst Role = "analyst"
	// RoleTracker reports responders' positions and availability, and
	// nothing else.
	RoleTracker Role = "tracker"
	// RoleAdmin may do everything, including every write.
	RoleAdmin Role = "admin"
)

// Roles of requests without a token.
const (
	// roleAnonymous is a request without a token while tokens are
	// configured (and no public viewer): it may do nothing but /readyz.
	roleAnonymous Role = "anonymous"
	// roleLocal is every request of the local demo (no tokens configured):
	// it reads everything and writes nothing.
	roleLocal Role = "local"
)

// TokenRoles lists the roles a token may have.
var TokenRoles = []Role{RoleViewer, RoleAnalyst, RoleTracker, RoleAdmin}

// ParseRole returns the role named s.
func ParseRole(s string) (Role, error) {
	for _, r := range TokenRoles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", fmt.Errorf("unknown role %q (expected %s)", s, roleList(TokenRoles))
}

// roleSet is a set of roles, a bit each.
type roleSet uint8

const (
	bitAnonymous roleSet = 1 << iota
	bitLocal
	bitViewer
	bitAnalyst
	bitTracker
	bitAdmin
)

// The role sets of the permission table.
const (
	// everyone includes requests without a token.
	everyone = bitAnonymous | bitLocal | bitViewer | bitAnalyst | bitTracker | bitAdmin
	// viewers read public data.
	viewers = bitLocal | bitViewer | bitAnalyst | bitAdmin
	// analysts read police data.
	analysts = bitLocal | bitAnalyst | bitAdmin
	// trackers report positions (the local demo too, where the position
	// route only exists behind its development flag).
	trackers = bitLocal | bitTracker | bitAdmin
	// admins write.
	admins = bitAdmin
)

func (r Role) bit() roleSet {
	switch r {
	case roleAnonymous:
		return bitAnonymous
	case roleLocal:
		return bitLocal
	case RoleViewer:
		return bitViewer
	case RoleAnalyst:
		return bitAnalyst
	case RoleTracker:
		return bitTracker
	case RoleAdmin:
		return bitAdmin
	}
	return 0
}

// has reports whether the set holds r.
func (s roleSet) has(r Role) bool { return s&r.bit() != 0 }

// roles lists the token roles in the set, for messages.
func (s roleSet) roles() []Role {
	var out []Role
	for _, r := range TokenRoles {
		if s.has(r) {
			out = append(out, r)
		}
	}
	return out
}

func roleList(rs []Role) string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}
