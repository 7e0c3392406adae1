// Package tsok manages the life of the technological certificate of the
// КПСИС («ТСОК», технологический сертификат открытого ключа). It forms the
// certificate request («запрос на сертификат», «файл запроса на издание
// ТСОК») and checks it against the profile before it goes to the operator.
// It reads the issued certificate, watches its expiry, and reports its
// health together with the reachability of ЕС ИФЮЛ.
//
// # Requests
//
// The КПСИС generates the ТСОК key itself through its key-generation API
// (POST http://<host>:9999/api/v1/gencertreq). The key is shared among five
// password holders, any three of whom unlock it:
//
//	client := &tsok.KeygenClient{URL: "http://10.0.0.5:9999"}
//	generated, err := client.GenerateRequest(ctx, tsok.KeygenRequest{
//		KeyParam:     tsok.KeyParam{Passwords: fivePasswords},
//		CertReqParam: tsok.CertReqParam{CertInfo: certInfo},
//	})
//	os.WriteFile("tsok.csr", tsok.EncodePEM(generated.Request.Raw), 0o644)
//
// The fields of that API's response are not public: ResponseFormat says where
// the request is looked for, and DefaultResponseFormat is a guess.
// CreateRequest builds the request instead from a bign key the consumer
// holds, since crypto/x509 cannot sign with bign.
//
// # The profile
//
// CheckProfile verifies the request's bign-with-hbelt self-signature and
// checks it against rules kept in one table, DefaultRules: the subject
// attributes of the ГосСУОК role ТС (technological certificates) with their
// order, string types, lengths and country BY, the key algorithm
// (bign-pubkey on bign-curve256v1), the signature algorithm
// (bign-with-hbelt), the request attributes, and the requested extensions
// (keyUsage, extKeyUsage, subjectAltName). Each rule has an ID, a severity,
// its source in STB 34.101.17, 34.101.19 or 34.101.78, and a message in
// Russian and English. A request that breaks a rule of SeverityError is
// rejected with a *ProfileError listing the rule IDs.
//
// The operator turns down request files that do not match the ТСОК format
// profile of its policy for ТСОК. That policy is not public, so the table
// is built from the public standards and is replaceable: pass your own
// rules to CheckProfile.
//
// # Expiry
//
// The consumer must track the ТСОК's expiry itself. By the operator's
// procedure the new request file is formed when the old certificate's
// validity ends and is sent through the operator's support system, so the
// renewal needs preparing in advance. Status reports StateRenewalDue from
// DefaultWarnBefore (30 days) before notAfter, Watcher checks on start-up
// and on a schedule, and HealthHandler serves the state as JSON, with HTTP
// 503 when the certificate has expired or the provider cannot be reached.
package tsok
