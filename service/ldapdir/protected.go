package ldapdir

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"github.com/go-ldap/ldap/v3"

	"casreset/service"
)

// attrObjectSid is AD's binary security identifier of an entry; an
// account's is its domain's SID and its relative ID.
const attrObjectSid = "objectSid"

// Active Directory's protected groups (AdminSDHolder), whose members IT
// Help may not act on: the built-in Administrators (which holds Domain
// Admins and Enterprise Admins), Account, Server, Print and Backup
// Operators and Replicator, and the domain's Domain Admins, Schema Admins,
// Enterprise Admins, Key Admins and Enterprise Key Admins, by relative ID.
var (
	protectedBuiltinSIDs = []string{"S-1-5-32-544", "S-1-5-32-548", "S-1-5-32-549", "S-1-5-32-550", "S-1-5-32-551", "S-1-5-32-552"}
	protectedDomainRIDs  = []string{"512", "518", "519", "526", "527"}
)

// markProtected sets a.Privileged, under Active Directory, when the entry
// e is a member of a protected group through nested groups, as the
// service account on s reads it. adminCount=1 says so too, but Windows
// sets it only when SDProp next runs (every hour) and Samba never does:
// until then, adminCount alone would let IT Help unlock, and issue a pass
// for, a new Domain Admin.
func (d *Directory) markProtected(s session, e *ldap.Entry, a *service.Account) error {
	if !d.cfg.AD || a.Privileged {
		return nil
	}
	groups := slices.Clone(protectedBuiltinSIDs)
	if domain, ok := domainSID(e.GetRawAttributeValue(attrObjectSid)); ok {
		for _, rid := range protectedDomainRIDs {
			groups = append(groups, domain+"-"+rid)
		}
	}
	// A group by its SID, <SID=S-…>: one of AD's alternative forms of a
	// DN (MS-ADTS 3.1.1.3.1.2.4), which holds whatever the group is
	// called or wherever it is.
	var filter strings.Builder
	filter.WriteString("(|")
	for _, sid := range groups {
		fmt.Fprintf(&filter, "(memberOf:%s:=<SID=%s>)", matchingRuleInChain, sid)
	}
	filter.WriteString(")")
	res, err := s.Search(ldap.NewSearchRequest(e.DN, ldap.ScopeBaseObject, ldap.NeverDerefAliases,
		1, d.timeLimit(), false, filter.String(), []string{"1.1"}, nil))
	if err != nil {
		return err
	}
	a.Privileged = len(res.Entries) > 0
	return nil
}

// domainSID is the SID of the domain of an account whose binary objectSid
// is b (MS-DTYP 2.4.2.2): its own SID without the last sub-authority, the
// relative ID. It reports false for anything but a domain account's
// S-1-5-21-….
func domainSID(b []byte) (string, bool) {
	if len(b) < 8 || len(b) != 8+4*int(b[1]) || b[1] < 2 {
		return "", false
	}
	var authority uint64
	for _, x := range b[2:8] {
		authority = authority<<8 | uint64(x)
	}
	subs := make([]uint32, b[1])
	for i := range subs {
		subs[i] = binary.LittleEndian.Uint32(b[8+4*i:])
	}
	if b[0] != 1 || authority != 5 || subs[0] != 21 {
		return "", false
	}
	sid := fmt.Sprintf("S-1-%d", authority)
	for _, sub := range subs[:len(subs)-1] {
		sid += fmt.Sprintf("-%d", sub)
	}
	return sid, true
}
