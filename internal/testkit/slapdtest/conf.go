package slapdtest

import (
	"fmt"
	"strings"
)

type confParams struct {
	SchemaDir, ModuleDir, Dir     string
	CACert, ServerCert, ServerKey string
}

// slapdConf is a slapd.conf for one mdb database under BaseDN. The service
// account may write userPassword and pwdAccountLockedTime (to unlock) and
// read everything; the reader account only reads; anyone may bind.
func slapdConf(p confParams) string {
	var b strings.Builder
	for _, s := range []string{"core", "cosine", "inetorgperson"} {
		fmt.Fprintf(&b, "include %s/%s.schema\n", p.SchemaDir, s)
	}
	fmt.Fprintf(&b, "include %s/cas.schema\n", p.Dir)
	if p.ModuleDir != "" {
		fmt.Fprintf(&b, "modulepath %s\nmoduleload back_mdb\nmoduleload ppolicy\n", p.ModuleDir)
	}
	fmt.Fprintf(&b, `pidfile %[1]s/slapd.pid
argsfile %[1]s/slapd.args
TLSCACertificateFile %[2]s
TLSCertificateFile %[3]s
TLSCertificateKeyFile %[4]s

database mdb
suffix %[5]q
rootdn %[6]q
rootpw %[7]s
directory %[1]s/data
maxsize 33554432

overlay ppolicy
ppolicy_default %[8]q
ppolicy_hash_cleartext

access to attrs=userPassword
	by dn.exact=%[9]q write
	by anonymous auth
	by * none
access to attrs=pwdAccountLockedTime
	by dn.exact=%[9]q write
	by dn.exact=%[10]q read
	by * none
access to *
	by dn.exact=%[9]q read
	by dn.exact=%[10]q read
	by * none
`, p.Dir, p.CACert, p.ServerCert, p.ServerKey, BaseDN, AdminDN, AdminPassword,
		"cn=default,ou=policies,"+BaseDN, ServiceDN, ReaderDN)
	return b.String()
}

// casSchema adds contract end dates to inetOrgPerson entries. The OIDs are
// under a UUID arc (2.25), which needs no registration.
const casSchema = `attributetype ( 2.25.113662509093213308269685456547689624197.1.1
	NAME 'contractEndDate'
	DESC 'Last day of the contract, YYYY-MM-DD'
	EQUALITY caseIgnoreMatch
	SYNTAX 1.3.6.1.4.1.1466.115.121.1.15
	SINGLE-VALUE )
attributetype ( 2.25.113662509093213308269685456547689624197.1.2
	NAME 'contractEndTime'
	DESC 'End of the contract'
	EQUALITY generalizedTimeMatch
	ORDERING generalizedTimeOrderingMatch
	SYNTAX 1.3.6.1.4.1.1466.115.121.1.24
	SINGLE-VALUE )
objectclass ( 2.25.113662509093213308269685456547689624197.2.1
	NAME 'casStaff'
	DESC 'Contract dates of a member of staff'
	AUXILIARY
	MAY ( contractEndDate $ contractEndTime ) )
`

var baseTree = fmt.Sprintf(`dn: %[1]s
objectClass: dcObject
objectClass: organization
o: Example College
dc: example

dn: %[2]s
objectClass: organizationalUnit
ou: people

dn: ou=services,%[1]s
objectClass: organizationalUnit
ou: services

dn: ou=groups,%[1]s
objectClass: organizationalUnit
ou: groups

dn: ou=policies,%[1]s
objectClass: organizationalUnit
ou: policies

dn: cn=default,ou=policies,%[1]s
objectClass: organizationalRole
objectClass: pwdPolicy
cn: default
pwdAttribute: userPassword
pwdInHistory: %[3]d
pwdCheckQuality: 2
pwdMinLength: %[4]d
pwdLockout: TRUE
pwdMaxFailure: %[9]d

dn: %[5]s
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: resetd
userPassword: %[6]s

dn: %[7]s
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: reader
userPassword: %[8]s
`, BaseDN, PeopleDN, PolicyHistory, PolicyMinLength, ServiceDN, ServicePassword, ReaderDN, ReaderPassword, PolicyMaxFailure)
