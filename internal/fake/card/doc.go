// Package card is a virtual Belarusian ID card for the fake ЕС ИФЮЛ stack:
// the eID and eSign applications of STB 34.101.79 (btok) for one test
// person, reached by the fake client program.
//
// # What it implements as btok specifies
//
//   - The file system: the master file, the eID application (AID
//     D11200020022654F0701) with the data groups in files 0101-0116, encoded
//     by terminal.DataGroups, and the eSign application (AID
//     D11200020022654F0702) with the files of key 11: 5211 for the holder's
//     certificate and 5311 for the hash of the public key.
//   - Command APDUs in the short and the extended form, with the status words
//     of btok's appendix В: Select File (MF, application, elementary file),
//     Read Binary, MSE:Set AT for BAUTH (P1P2 F1A4 and B1A4), PSO:Verify
//     Certificate, General Authenticate, MSE:Set DST, PSO:Compute Digital
//     Signature and Verify.
//   - Terminal certificates: each one must chain to the CV root the card
//     holds, through the certificates imported before it, and be valid on the
//     card's date. The card checks them with terminal.VerifyCVChain (bign
//     signatures, issuer references, dates) and grants the AND of the access
//     words along the chain.
//   - Access rights: an eID elementary file can be selected only by a
//     terminal whose rights allow reading its data group, and otherwise the
//     card returns 6982. Signing needs the eSign right "sign in terminal
//     mode", the PIN flag and key 11. A terminal authenticated after the CAN
//     needs the right "access by CAN".
//   - The PIN: three attempts, status 63CX with the attempts left, 6983 once
//     blocked. Each signature uses up the PIN flag.
//
// # What it simplifies
//
//   - BPACE, the password protocol between the client program and the card,
//     is a direct comparison: the client program calls Authenticate with the
//     PIN or CAN and VerifyPIN before signing, and no APDU is exchanged, so
//     Commands lists only the terminal's commands.
//   - BAUTH keeps its messages and their order (MSE:Set AT, PSO:Verify
//     Certificate, two General Authenticate) but not its key agreement. The
//     bign package here has no Diffie-Hellman and belt has no keywrap, MAC
//     or key derivation, so instead of M1 = V‖Y, M2 = T and M3 = Z‖T:
//     M1 is a random challenge of 32 bytes; M2 is a terminal nonce of 16
//     bytes and the terminal's bign-with-hbelt signature over
//     TerminalAuthMessage (the hello of MSE:Set AT, the challenge and the
//     nonce); and M3 is the card's signature over CardAuthMessage with the
//     key of its own CV certificate (so_certificate). Both sides thus prove
//     their keys, but no shared key K0 results.
//   - Without K0 there is no secure messaging: commands travel in plain text
//     with CLA 00, and the card grants access by its state (terminal
//     authenticated or not) rather than by checking a MAC on each command.
//     CLA 0C is rejected with 6E00.
//   - Read Binary returns fewer bytes than Le at the end of a file with
//     status 9000, not 6282, and requires Le.
//   - No dates are updated from MSE:Set AT, no additional attributes
//     (DocumentValidity, age and region checks) are verified, and the eSign
//     key of basic mode (01), PUK, key generation, key tokens and file
//     updates are absent.
package card
