package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"herald/backend/apperr"
	"herald/backend/events"
	"herald/backend/model"
	"herald/backend/store"
)

// Teams serves team management. Every change and its audit line commit
// together.
type Teams struct {
	db      *gorm.DB
	teams   *store.Teams
	audit   *store.Audit
	emitter events.Emitter
}

// NewTeams builds the service.
func NewTeams(db *gorm.DB, teams *store.Teams, audit *store.Audit, emitter events.Emitter) *Teams {
	return &Teams{db: db, teams: teams, audit: audit, emitter: emitter}
}

// TeamView is a team with its channel count.
type TeamView struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Channels int64  `json:"channels"`
}

// List returns all teams.
func (s *Teams) List() ([]TeamView, error) {
	teams, err := s.teams.List(context.Background())
	if err != nil {
		return nil, err
	}
	out := make([]TeamView, 0, len(teams))
	for _, t := range teams {
		out = append(out, TeamView{ID: t.ID, Name: t.Name, Channels: t.Channels})
	}
	return out, nil
}

const maxTeamName = 60

func validName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", apperr.Invalid("name", "Give the team a name.")
	case utf8.RuneCountInString(name) > maxTeamName:
		return "", apperr.Invalid("name", "Team names are at most %d characters.", maxTeamName)
	case strings.Contains(name, ","):
		return "", apperr.Invalid("name", "Team names cannot contain commas.")
	}
	return name, nil
}

// Create adds a team.
func (s *Teams) Create(name string) (TeamView, error) {
	ctx := context.Background()
	name, err := validName(name)
	if err != nil {
		return TeamView{}, err
	}
	var t model.Team
	err = s.change(ctx, func(tx *gorm.DB) (string, string, string, error) {
		var err error
		t, err = s.teams.WithTx(tx).Create(ctx, name)
		return "team.created", fmt.Sprintf("Created team %s", name), name, err
	})
	if errors.Is(err, store.ErrDuplicate) {
		return TeamView{}, apperr.Invalid("name", "A team called %q already exists.", name)
	}
	if err != nil {
		return TeamView{}, err
	}
	return TeamView{ID: t.ID, Name: t.Name}, nil
}

// Rename renames a team.
func (s *Teams) Rename(id int64, name string) (TeamView, error) {
	ctx := context.Background()
	name, err := validName(name)
	if err != nil {
		return TeamView{}, err
	}
	old, err := s.teams.Get(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return TeamView{}, apperr.NotFound("That team no longer exists.")
	}
	if err != nil {
		return TeamView{}, err
	}
	err = s.change(ctx, func(tx *gorm.DB) (string, string, string, error) {
		return "team.renamed", fmt.Sprintf("Renamed team %s to %s", old.Name, name), name, s.teams.WithTx(tx).Rename(ctx, id, name)
	})
	if errors.Is(err, store.ErrDuplicate) {
		return TeamView{}, apperr.Invalid("name", "A team called %q already exists.", name)
	}
	if err != nil {
		return TeamView{}, err
	}
	return TeamView{ID: id, Name: name}, nil
}

// Delete deletes a team; its channels stay.
func (s *Teams) Delete(id int64) error {
	ctx := context.Background()
	old, err := s.teams.Get(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return apperr.NotFound("That team no longer exists.")
	}
	if err != nil {
		return err
	}
	return s.change(ctx, func(tx *gorm.DB) (string, string, string, error) {
		return "team.deleted", fmt.Sprintf("Deleted team %s (its channels were kept)", old.Name), old.Name, s.teams.WithTx(tx).Delete(ctx, id)
	})
}

// change runs fn and appends its audit line in one transaction.
func (s *Teams) change(ctx context.Context, fn func(tx *gorm.DB) (event, summary, team string, err error)) error {
	err := store.Transaction(ctx, s.db, func(tx *gorm.DB) error {
		event, summary, team, err := fn(tx)
		if err != nil {
			return err
		}
		return s.audit.AppendTx(ctx, tx, &model.AuditEntry{Actor: model.ActorUser, Event: event, Teams: team, Summary: summary})
	})
	if err == nil {
		s.emitter.Emit(events.ChannelsChanged, nil)
	}
	return err
}
