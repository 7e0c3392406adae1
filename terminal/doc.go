// Package terminal implements the terminal module of ЕС ИФЮЛ: reading the eID
// application of the Belarusian ID card and signing with its eSign application at a
// workstation, through the terminal module of the consumer's КПСИС and the client
// program (КП) on the person's computer, and the formats of STB 34.101.79 (btok) met
// on the way.
//
// Sessions. A Session speaks the terminal api/v1 of the КПСИС (port 48777) and relays
// each command the КПСИС builds for the card, base64 in header_cmd_to_card and
// cmd_to_card, to the client program (port 8084 on the person's computer), which
// returns card_response. The card never sees the consumer's server directly:
//
//	session, err := terminal.NewSession(terminal.Config{
//		KPSISURL: "http://kpsis.internal:48777",
//		Channel:  terminal.NewClientProgramChannel(terminal.DefaultClientProgramURL),
//	})
//	if err != nil {
//		return err
//	}
//	if err := session.Open(ctx); err != nil { // BAUTH; the person enters the PIN in the КП
//		return err
//	}
//	defer session.Close(ctx)
//	data, err := session.ReadPersonalData(ctx) // names, personal number, document
//	sig, err := session.Sign(ctx, document)    // 48 bytes of bign, or CMS
//
// A web system's server cannot reach the person's 127.0.0.1, so it uses a RelayChannel
// of a BrowserRelay instead: the page includes the relay script, which forwards the
// card calls from the server to the client program and back.
//
// Every relay loop is bounded by Config.MaxSteps and stops when its context ends.
// Failures are *Error values naming the step, the component and its "err" code, and
// wrap sentinels such as ErrNoCard, ErrAccessDenied and ErrWrongPIN. The terminal
// certificate the КПСИС presents is checked before the card receives any command, and
// an expired one fails with ErrTerminalCertificateExpired.
//
// NOTE: the terminal api/v1 is known from public code of relying parties only: the
// method and field names are the real ones, but the meaning of "stb", the formats of
// personal_data values, the CMS layout and every "err" code except "0" and "3" are
// not public. DefaultErrorCodes, ParsePersonalData and ParseSignature say what is
// assumed.
//
// CV certificates. The terminal proves its access rights to the card with a chain of
// card verifiable certificates ending in its own «СОКобл», which the operator re-issues
// monthly. ParseCVCertificate decodes one, VerifyCVChain checks a chain from a trusted
// root at a given date and returns the access rights the card will grant, and
// CheckTerminalCertificate reports to a long-running service when the terminal
// certificate is about to expire:
//
//	cert, err := terminal.ParseCVCertificate(der)
//	if err != nil {
//		return err
//	}
//	status, err := terminal.CheckTerminalCertificate(cert, time.Now(), 7*24*time.Hour)
//	if err != nil {
//		return err // expired or not yet valid: renew before using the terminal
//	}
//	if status.State == terminal.CertificateExpiring {
//		logger.Warn("terminal certificate expires soon", "days_left", status.DaysLeft)
//	}
//
// Access rights. The eID word of 40 bits and the eSign word of 16 bits are decoded by
// EIDRights and ESignRights. The card grants the AND of the words of every certificate
// in the chain, root included.
//
// Data groups. DataGroups decodes the files DG1 to DG22 of the eID application (file
// identifiers 0101 to 0116) into typed fields and encodes them for the fake ID card.
// btok defines each group as an [APPLICATION n] type with implicit tagging, and each file
// is taken to hold exactly the DER encoding of that element. No real card file has been
// seen, so this layout is a reading of the standard and not a verified fact.
//
// Every parser returns a *ParseError naming the object, the ASN.1 component and the
// byte offset of the fault. Fuzz tests check that no input makes a parser panic.
package terminal
