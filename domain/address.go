package domain

import "net/netip"

// AddressGroup is the network a client address counts under in per-address rules (the
// failed sign-in throttle, fair admission to password hashing, reset limits): an IPv4
// address alone, an IPv6 address by its /64, which one subscriber or office usually
// holds whole, so neighbours in it cannot each take a fresh allowance. Anything that is
// not an address is its own group.
func AddressGroup(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap().WithZone("")
	if a.Is4() {
		return a.String()
	}
	return netip.PrefixFrom(a, 64).Masked().String()
}
