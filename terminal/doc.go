// Package terminal implements the card side of the terminal module of ЕС ИФЮЛ: the
// formats of STB 34.101.79 (btok) that a workstation meets when it reads the eID
// application of the Belarusian ID card.
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
