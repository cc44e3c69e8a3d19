package domain

import (
	"errors"
	"testing"
)

// TestAdmissionIsFair: a source that has its share of checks in progress is refused at
// once, other sources are not, and a finished check frees its place (issue 11, item 5).
func TestAdmissionIsFair(t *testing.T) {
	t.Parallel()
	a := newAdmission()
	flood := []admissionKey{{"addr:203.0.113.9", 4}, {"session:stolen", 2}}
	var releases []func()
	for range 2 {
		release, err := a.enter(flood...)
		if err != nil {
			t.Fatal(err)
		}
		releases = append(releases, release)
	}
	if _, err := a.enter(flood...); !errors.Is(err, ErrBusy) {
		t.Fatalf("third check from one session: %v, want ErrBusy", err)
	}
	for i := range 2 { // the same address, other sessions: up to the address's share
		release, err := a.enter(admissionKey{"addr:203.0.113.9", 4}, admissionKey{"session:other" + string(rune('a'+i)), 2})
		if err != nil {
			t.Fatalf("check %d from the address: %v", i, err)
		}
		releases = append(releases, release)
	}
	if _, err := a.enter(admissionKey{"addr:203.0.113.9", 4}); !errors.Is(err, ErrBusy) {
		t.Fatalf("fifth check from one address: %v, want ErrBusy", err)
	}
	release, err := a.enter(admissionKey{"addr:192.0.2.1", 4}, admissionKey{"", 2})
	if err != nil {
		t.Fatalf("another client is refused: %v", err)
	}
	release()
	releases[0]()
	if _, err := a.enter(flood...); err != nil {
		t.Fatalf("a finished check frees its place: %v", err)
	}
	if a.Refused() != 2 {
		t.Errorf("refused %d, want 2", a.Refused())
	}
}

// TestAdmissionGroupsIPv6: the addresses of one IPv6 /64 share one fair share of the
// hash pool, as one IPv4 address does (issue 21, item 6).
func TestAdmissionGroupsIPv6(t *testing.T) {
	t.Parallel()
	e := &env{cfg: Config{HashPerAddress: 1}, admission: newAdmission()}
	release, err := e.admit("2001:db8:1:2::1", "")
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if _, err := e.admit("2001:db8:1:2:ffff:ffff:ffff:9", ""); !errors.Is(err, ErrBusy) {
		t.Fatalf("a neighbour in the same /64: %v, want ErrBusy", err)
	}
	other, err := e.admit("2001:db8:1:3::1", "")
	if err != nil {
		t.Fatalf("another /64: %v", err)
	}
	other()
	for in, want := range map[string]string{
		"192.0.2.7": "192.0.2.7", "::ffff:192.0.2.7": "192.0.2.7", "2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"fe80::1%eth0": "fe80::/64", "not an address": "not an address",
	} {
		if got := AddressGroup(in); got != want {
			t.Errorf("AddressGroup(%q) = %q, want %q", in, got, want)
		}
	}
}
