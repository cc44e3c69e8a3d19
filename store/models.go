package store

import "github.com/watchpost/watchpost/domain"

// Models lists every domain struct stored in a table of its own. The schema test checks
// that a database migrated from empty has, for each, exactly the columns the struct
// expects; a new table's model is added here together with its migration.
var Models = []any{
	(*domain.Portal)(nil),
	(*domain.Role)(nil),
	(*domain.User)(nil),
	(*domain.PasswordHistory)(nil),
	(*domain.Session)(nil),
	(*domain.LoginAttempt)(nil),
	(*domain.ResetToken)(nil),
	(*domain.OutboxMessage)(nil),
	(*domain.AuditEvent)(nil),
	(*domain.SupportUser)(nil),
	(*domain.SupportSession)(nil),
	(*domain.RateCounter)(nil),
	(*domain.TwoStep)(nil),
	(*domain.RecoveryCode)(nil),
	(*domain.TwoStepChallenge)(nil),
	(*domain.Passkey)(nil),
	(*domain.PasskeyCeremony)(nil),
	(*domain.AppSecret)(nil),
	(*domain.HelpConversation)(nil),
	(*domain.HelpFeedback)(nil),
	(*domain.JobLease)(nil),
	(*domain.KnownDevice)(nil),
	(*domain.NoticeLink)(nil),
	(*domain.HelpRequest)(nil),
}
