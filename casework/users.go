package casework

import (
	"context"
	"strings"
	"time"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
)

// Users and their API tokens: a centre's administrator manages the
// centre's, a host administrator the host's (the caller's HostID says
// which). Every rule of who may change what is here, for both doors.

// UserChange is what an administrator sends about a user; a field left
// empty (Active nil) keeps its value on a change.
type UserChange struct {
	Email       string      `json:"email"`
	DisplayName string      `json:"display_name"`
	Role        domain.Role `json:"role"`
	Language    string      `json:"language"`
	Active      *bool       `json:"active,omitempty"`
}

// Token is a token as issued: the secret is in it this once.
type Token struct {
	ID        string    `json:"id"`
	UserID    string    `json:"user_id"`
	Token     string    `json:"token"`
	CreatedAt time.Time `json:"created_at"`
}

// manages tells whether the caller administers users: a centre's
// administrator or a host's.
func (c Caller) manages() error {
	if (c.HostID == "" && c.Role == domain.RoleAdmin) || (c.HostID != "" && c.Role == domain.RoleHostAdmin) {
		return nil
	}
	return ErrForbidden
}

// Users lists the caller's centre's or host's users.
func (s *Service) Users(ctx context.Context, c Caller) ([]store.User, error) {
	if err := c.manages(); err != nil {
		return nil, err
	}
	if c.HostID != "" {
		return s.store.HostUsers(ctx, c.HostID)
	}
	return s.store.Users(ctx, c.CentreID)
}

// User reads one user of the caller's centre or host (not found otherwise).
func (s *Service) User(ctx context.Context, c Caller, id string) (store.User, error) {
	if err := c.manages(); err != nil {
		return store.User{}, err
	}
	if c.HostID != "" {
		return s.store.HostUser(ctx, c.HostID, id)
	}
	return s.store.CentreUser(ctx, c.CentreID, id)
}

// Tokens lists the active tokens of the caller's centre's or host's users.
func (s *Service) Tokens(ctx context.Context, c Caller) ([]store.Token, error) {
	if err := c.manages(); err != nil {
		return nil, err
	}
	if c.HostID != "" {
		return s.store.ActiveHostTokens(ctx, c.HostID)
	}
	return s.store.ActiveTokens(ctx, c.CentreID)
}

// CreateUser adds an active user to the caller's centre or host.
func (s *Service) CreateUser(ctx context.Context, c Caller, in UserChange) (store.User, error) {
	if err := c.manages(); err != nil {
		return store.User{}, err
	}
	u := store.User{CentreID: c.CentreID, HostID: c.HostID, Email: strings.TrimSpace(in.Email), DisplayName: strings.TrimSpace(in.DisplayName),
		Role: in.Role, Language: in.Language, Active: true}
	if c.HostID != "" {
		u.CentreID = ""
	}
	if problems := store.CheckUser(u); len(problems) > 0 {
		return u, &InvalidError{Fields: problems}
	}
	err := s.audited(ctx, c, "create_user", "user", "", func() (string, error) {
		id, err := s.store.CreateUser(ctx, u)
		u.ID = id
		return id, err
	})
	return u, err
}

// UpdateUser changes a user's name, role, language or active flag; a user
// made inactive loses every token at once. The e-mail address never
// changes (a new address is a new user), and administrators keep their
// own role and account: one who locked themselves out would need someone
// else to let them in.
func (s *Service) UpdateUser(ctx context.Context, c Caller, id string, in UserChange) (store.User, error) {
	u, err := s.User(ctx, c, id)
	if err != nil {
		return u, err
	}
	if in.Email != "" && strings.TrimSpace(in.Email) != u.Email {
		return u, &InvalidError{Fields: []domain.FieldProblem{domain.Problem("email", domain.Unchangeable)}}
	}
	if in.DisplayName != "" {
		u.DisplayName = strings.TrimSpace(in.DisplayName)
	}
	if in.Role != "" {
		u.Role = in.Role
	}
	if in.Language != "" {
		u.Language = in.Language
	}
	if in.Active != nil {
		u.Active = *in.Active
	}
	if problems := store.CheckUser(u); len(problems) > 0 {
		return u, &InvalidError{Fields: problems}
	}
	if u.ID == c.UserID && (!u.Active || u.Role != c.Role) {
		field := "role"
		if !u.Active {
			field = "active"
		}
		return u, &store.ConflictError{Code: domain.SelfAdmin, Field: field}
	}
	return u, s.audited(ctx, c, "change_user", "user", u.ID, func() (string, error) {
		return "", s.store.UpdateUser(ctx, u)
	})
}

// CreateToken issues a bearer token for an active user of the caller's
// centre or host; only its hash is kept.
func (s *Service) CreateToken(ctx context.Context, c Caller, userID, name string) (Token, error) {
	u, err := s.User(ctx, c, userID)
	if err != nil {
		return Token{}, err
	}
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return Token{}, &InvalidError{Fields: []domain.FieldProblem{domain.Problem("name", domain.Required)}}
	case !store.CleanText(name):
		return Token{}, &InvalidError{Fields: []domain.FieldProblem{domain.Problem("name", domain.NotText)}}
	case !u.Active:
		return Token{}, &store.ConflictError{Code: domain.UserInactive}
	}
	t := Token{UserID: u.ID, CreatedAt: time.Now().UTC()}
	err = s.audited(ctx, c, "create_token", "token", "", func() (string, error) {
		var err error
		t.ID, t.Token, err = s.store.CreateToken(ctx, u.ID, name)
		return t.ID, err
	})
	return t, err
}

// RevokeToken ends a token of the caller's centre or host at once.
func (s *Service) RevokeToken(ctx context.Context, c Caller, id string) error {
	if err := c.manages(); err != nil {
		return err
	}
	return s.audited(ctx, c, "revoke_token", "token", id, func() (string, error) {
		if c.HostID != "" {
			return "", s.store.RevokeHostToken(ctx, c.HostID, id)
		}
		return "", s.store.RevokeToken(ctx, c.CentreID, id)
	})
}
