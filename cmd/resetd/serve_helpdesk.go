package main

import (
	"flag"

	"casreset/service/server"
)

// defineHelpdeskAuthFlags defines the flags of the help desk's operators
// and sessions on resetd serve.
func defineHelpdeskAuthFlags(fs *flag.FlagSet, cfg *server.Config) {
	oa := &cfg.Service.OperatorAuth
	fs.StringVar(&cfg.LDAP.HelpdeskGroup, "helpdesk-group", "", "`DN` of the group whose members sign in to the help desk with their directory password (with --ldap-url; nested groups count with --ldap-ad); none by default: local operators only")
	fs.StringVar(&cfg.LDAP.OperatorBaseDN, "ldap-operator-base-dn", "", "`DN` under which help-desk operators are searched (default --ldap-base-dn); set it, e.g. to the domain's root, when IT staff are kept outside the staff accounts' unit. Staff look-ups stay under --ldap-base-dn")
	fs.StringVar(&cfg.LDAP.UsernameAttr, "ldap-username-attr", "", "`attribute` that help-desk operators sign in with (default uid, or sAMAccountName with --ldap-ad)")
	fs.DurationVar(&oa.SessionIdle, "operator-session-idle", oa.SessionIdle, "a help-desk session unused this `long` ends")
	fs.DurationVar(&oa.SessionMax, "operator-session-max", oa.SessionMax, "every help-desk session ends this `long` after sign-in")
	fs.IntVar(&oa.FailuresPerUser, "operator-failures-per-user", oa.FailuresPerUser, "failed help-desk sign-ins per username per --operator-signin-window (`N`); a success forgets them")
	fs.IntVar(&oa.AttemptsPerAddr, "operator-signins-per-addr", oa.AttemptsPerAddr, "help-desk sign-ins per client address per --operator-signin-window (`N`), successful or not")
	fs.DurationVar(&oa.FailureWindow, "operator-signin-window", oa.FailureWindow, "`window` of the help-desk sign-in limits")
}
