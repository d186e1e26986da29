package domain

// Role is what a signed-in person may do: a centre's staff role or a host
// organisation's. The API and the pages authenticate it; the workflows'
// validators check it.
type Role string

// Roles.
const (
	RoleCounsellor  Role = "counsellor"
	RoleCoordinator Role = "coordinator"
	RoleBCSD        Role = "bcsd"
	RoleAdmin       Role = "admin"
	RoleSystem      Role = "system" // the workflow itself, at a deadline
	// A host organisation's staff: they record their Article 60 workers'
	// attendance and trainings; a host administrator also manages the
	// host's users.
	RoleHost      Role = "host"
	RoleHostAdmin Role = "host_admin"
)

// StaffRoles are the roles a centre's staff member can hold; HostRoles a
// host organisation's. RoleSystem is the workflow's.
var (
	StaffRoles = []Role{RoleCounsellor, RoleCoordinator, RoleBCSD, RoleAdmin}
	HostRoles  = []Role{RoleHost, RoleHostAdmin}
	// PeopleRoles are every role a person can hold.
	PeopleRoles = append(append([]Role{}, StaffRoles...), HostRoles...)
)

// IsStaff tells a centre's staff role from a host's.
func (r Role) IsStaff() bool { return contains(StaffRoles, r) }

// IsHost tells a host organisation's role.
func (r Role) IsHost() bool { return contains(HostRoles, r) }

// ParseStaffRole reads a stored or sent role; anything but a centre
// staff role is refused.
func ParseStaffRole(s string) (Role, bool) {
	if r := Role(s); r.IsStaff() {
		return r, true
	}
	return "", false
}

// ParseHostRole reads a host organisation's role.
func ParseHostRole(s string) (Role, bool) {
	if r := Role(s); r.IsHost() {
		return r, true
	}
	return "", false
}

// ParseRole reads the role of any person who signs in: a centre's staff
// role or a host organisation's.
func ParseRole(s string) (Role, bool) {
	if r := Role(s); r.IsStaff() || r.IsHost() {
		return r, true
	}
	return "", false
}

// Actor is who must act next on a dossier, or whom a message is for.
type Actor string

// Actors.
const (
	ActorParticipant Actor = "participant"
	ActorCounsellor  Actor = "counsellor"
	ActorCoordinator Actor = "coordinator"
	ActorBCSD        Actor = "bcsd"
	ActorHost        Actor = "host" // the Article 60 host organisation; told, never asked to act
)

// NextActors are who can be the next to act on a dossier.
var NextActors = []Actor{ActorParticipant, ActorCounsellor, ActorCoordinator, ActorBCSD}

// Actors lists every actor.
var Actors = []Actor{ActorParticipant, ActorCounsellor, ActorCoordinator, ActorBCSD, ActorHost}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
