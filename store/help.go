package store

import (
	"context"

	"github.com/watchpost/watchpost/domain"
)

var _ domain.HelpStore = (*Store)(nil)

// HelpConversation loads a conversation of the portal.
func (s *Store) HelpConversation(ctx context.Context, portalID int64, id string) (*domain.HelpConversation, error) {
	c := new(domain.HelpConversation)
	err := s.idb.NewSelect().Model(c).Where("portal_id = ? AND id = ?", portalID, id).Scan(ctx)
	return one(c, err)
}

// SaveHelpConversation upserts a conversation in one statement; a clash with another
// portal's conversation of the same id changes nothing.
func (s *Store) SaveHelpConversation(ctx context.Context, c *domain.HelpConversation) error {
	_, err := s.idb.NewRaw(`INSERT INTO help_conversations (id, portal_id, state, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at
		WHERE help_conversations.portal_id = EXCLUDED.portal_id`, c.ID, c.PortalID, c.State, c.UpdatedAt).Exec(ctx)
	return mapErr(err)
}

// AddHelpFeedback inserts one feedback answer.
func (s *Store) AddHelpFeedback(ctx context.Context, f *domain.HelpFeedback) error {
	_, err := s.idb.NewInsert().Model(f).Exec(ctx)
	return mapErr(err)
}

// HelpTally counts the portal's feedback per topic.
func (s *Store) HelpTally(ctx context.Context, portalID int64) ([]domain.HelpTally, error) {
	var out []domain.HelpTally
	err := s.idb.NewSelect().Model((*domain.HelpFeedback)(nil)).
		ColumnExpr("topic").
		ColumnExpr("SUM(CASE WHEN helpful THEN 1 ELSE 0 END) AS helpful").
		ColumnExpr("COUNT(*) AS total").
		Where("portal_id = ?", portalID).
		Group("topic").Order("topic").Scan(ctx, &out)
	return out, mapErr(err)
}
