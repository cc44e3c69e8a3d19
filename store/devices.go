package store

import (
	"context"
	"time"

	"github.com/watchpost/watchpost/domain"
)

// DevicesByHash lists the portal's known devices with a token's hash.
func (s *Store) DevicesByHash(ctx context.Context, portalID int64, hash string) ([]domain.KnownDevice, error) {
	var out []domain.KnownDevice
	err := s.idb.NewSelect().Model(&out).Where("portal_id = ? AND hash = ?", portalID, hash).Limit(100).Scan(ctx)
	return out, mapErr(err)
}

// RememberDevice inserts d or refreshes the person's row with its hash, in one upsert, and
// forgets the person's least recently used devices beyond keep.
func (s *Store) RememberDevice(ctx context.Context, d *domain.KnownDevice, keep int) error {
	_, err := s.idb.NewInsert().Model(d).
		On("CONFLICT (portal_id, user_id, hash) DO UPDATE").
		Set("last_used_at = EXCLUDED.last_used_at, last_ip = EXCLUDED.last_ip, name = EXCLUDED.name").
		Exec(ctx)
	if err != nil {
		return mapErr(err)
	}
	_, err = s.idb.NewDelete().Model((*domain.KnownDevice)(nil)).
		Where("portal_id = ? AND user_id = ?", d.PortalID, d.UserID).
		Where("id NOT IN (SELECT id FROM known_devices WHERE portal_id = ? AND user_id = ? ORDER BY last_used_at DESC, id DESC LIMIT ?)", d.PortalID, d.UserID, keep).
		Exec(ctx)
	return mapErr(err)
}

// UserDevices lists a person's known devices, most recently used first.
func (s *Store) UserDevices(ctx context.Context, portalID, userID int64) ([]domain.KnownDevice, error) {
	var out []domain.KnownDevice
	err := s.idb.NewSelect().Model(&out).Where("portal_id = ? AND user_id = ?", portalID, userID).
		OrderExpr("last_used_at DESC, id DESC").Limit(100).Scan(ctx)
	return out, mapErr(err)
}

// DeleteDevice forgets one of a person's devices.
func (s *Store) DeleteDevice(ctx context.Context, portalID, userID, deviceID int64) error {
	_, err := s.idb.NewDelete().Model((*domain.KnownDevice)(nil)).
		Where("portal_id = ? AND user_id = ? AND id = ?", portalID, userID, deviceID).Exec(ctx)
	return mapErr(err)
}

// DeleteUserDevices forgets every device of a person.
func (s *Store) DeleteUserDevices(ctx context.Context, portalID, userID int64) error {
	_, err := s.idb.NewDelete().Model((*domain.KnownDevice)(nil)).
		Where("portal_id = ? AND user_id = ?", portalID, userID).Exec(ctx)
	return mapErr(err)
}

// PurgeDevices forgets devices unused since before.
func (s *Store) PurgeDevices(ctx context.Context, before time.Time) (int, error) {
	return affected(s.idb.NewDelete().Model((*domain.KnownDevice)(nil)).Where("last_used_at < ?", before).Exec(ctx))
}

// CreateNoticeLink stores a notice's link.
func (s *Store) CreateNoticeLink(ctx context.Context, l *domain.NoticeLink) error {
	_, err := s.idb.NewInsert().Model(l).Exec(ctx)
	return mapErr(err)
}

// NoticeLink returns a portal's unused, unexpired link of that purpose.
func (s *Store) NoticeLink(ctx context.Context, portalID int64, hash string, purpose domain.NoticePurpose, now time.Time) (*domain.NoticeLink, error) {
	l := new(domain.NoticeLink)
	err := s.idb.NewSelect().Model(l).
		Where("portal_id = ? AND hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?", portalID, hash, purpose, now).Scan(ctx)
	return one(l, err)
}

// UseNoticeLink marks a link used in one conditional update.
func (s *Store) UseNoticeLink(ctx context.Context, portalID int64, hash string, purpose domain.NoticePurpose, now time.Time) (*domain.NoticeLink, error) {
	l := new(domain.NoticeLink)
	err := s.idb.NewRaw(`UPDATE notice_links SET used_at = ?
		WHERE portal_id = ? AND hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ? RETURNING *`,
		now, portalID, hash, purpose, now).Scan(ctx, l)
	return one(l, err)
}

// DeleteUserNoticeLinks voids a person's unused links of that purpose.
func (s *Store) DeleteUserNoticeLinks(ctx context.Context, portalID, userID int64, purpose domain.NoticePurpose) error {
	_, err := s.idb.NewDelete().Model((*domain.NoticeLink)(nil)).
		Where("portal_id = ? AND user_id = ? AND purpose = ? AND used_at IS NULL", portalID, userID, purpose).Exec(ctx)
	return mapErr(err)
}
