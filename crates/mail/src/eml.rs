//! Reading a delivered message back (for `latchkey mail show` and tests): the
//! top-level headers and the decoded text/plain part.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// The value of header `name` of the message (first occurrence, unfolded:
/// RFC 5322 §2.2.3 removes the line break and keeps the white space that
/// follows it).
pub fn header(raw: &str, name: &str) -> Option<String> {
    let head = raw.split("\r\n\r\n").next().unwrap_or(raw);
    let mut value: Option<String> = None;
    for line in head.split("\r\n") {
        match &mut value {
            Some(v) if line.starts_with([' ', '\t']) => v.push_str(line),
            Some(_) => break,
            None => {
                if let Some((_, v)) = line
                    .split_once(':')
                    .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                {
                    value = Some(v.trim().to_owned());
                }
            }
        }
    }
    value
}

/// Decodes RFC 2047 encoded words (`=?utf-8?b?…?=`, `=?utf-8?q?…?=`) in a
/// header value; white space between two encoded words is dropped (RFC 2047
/// §6.2), any other run of white space reads as one space.
pub fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut last_was_word = false;
    for (i, token) in value.split_whitespace().enumerate() {
        let decoded = token
            .strip_prefix("=?")
            .and_then(|t| t.strip_suffix("?="))
            .and_then(|t| {
                let mut parts = t.splitn(3, '?');
                let (_charset, kind, text) = (parts.next()?, parts.next()?, parts.next()?);
                match kind.to_ascii_lowercase().as_str() {
                    "b" => String::from_utf8(STANDARD.decode(text).ok()?).ok(),
                    "q" => Some(quoted_printable(&text.replace('_', " "))),
                    _ => None,
                }
            });
        match decoded {
            Some(word) => {
                if i > 0 && !last_was_word {
                    out.push(' ');
                }
                out.push_str(&word);
                last_was_word = true;
            }
            None => {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(token);
                last_was_word = false;
            }
        }
    }
    out
}

/// The decoded text/plain body (7bit, 8bit, quoted-printable or base64).
pub fn text_body(raw: &str) -> Option<String> {
    // Each MIME part (or the whole message) is headers, a blank line, a body.
    let mut rest = raw;
    while let Some(pos) = rest.to_ascii_lowercase().find("content-type: text/plain") {
        let part = &rest[pos..];
        let (headers, body) = part.split_once("\r\n\r\n")?;
        let body = body.split("\r\n--").next().unwrap_or(body);
        let encoding = headers
            .split("\r\n")
            .find_map(|l| {
                l.split_once(':')
                    .filter(|(k, _)| k.eq_ignore_ascii_case("content-transfer-encoding"))
            })
            .map(|(_, v)| v.trim().to_ascii_lowercase());
        let decoded = match encoding.as_deref() {
            Some("quoted-printable") => quoted_printable(body),
            Some("base64") => {
                let compact: String = body.split_whitespace().collect();
                String::from_utf8(STANDARD.decode(compact).ok()?).ok()?
            }
            _ => body.to_owned(),
        };
        if !decoded.is_empty() {
            return Some(decoded.replace("\r\n", "\n"));
        }
        rest = &rest[pos + 1..];
    }
    None
}

fn quoted_printable(body: &str) -> String {
    let joined = body.replace("=\r\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = joined
            .get(i + 1..i + 3)
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        if let (b'=', Some(b)) = (bytes[i], hex) {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_headers_and_decodes_parts() {
        let raw = "From: a@b.c\r\nSubject: Best=C3=A4tigen\r\n sie\r\nTo: x@y.z\r\nContent-Type: multipart/alternative; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nHallo J=C3=BCrgen,\r\nhttps://x.example/verify?token=3Dabc=\r\ndef\r\n--B\r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n--B--\r\n";
        assert_eq!(
            header(raw, "subject").as_deref(),
            Some("Best=C3=A4tigen sie")
        );
        assert_eq!(header(raw, "To").as_deref(), Some("x@y.z"));
        assert_eq!(
            text_body(raw).unwrap(),
            "Hallo Jürgen,\nhttps://x.example/verify?token=abcdef"
        );
        let b64 = "Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\nSGFsbG8g\r\nV2VsdA==\r\n";
        assert_eq!(text_body(b64).unwrap(), "Hallo Welt");
        assert_eq!(text_body("Subject: x\r\n\r\nno parts"), None);
        assert_eq!(
            decode_words("=?utf-8?b?QmVzdMOkdGlnZW4=?= =?utf-8?q?_Sie?= jetzt"),
            "Bestätigen Sie jetzt"
        );
        assert_eq!(decode_words("plain words"), "plain words");
    }

    /// What lettre writes — a long UTF-8 subject, encoded and folded over
    /// several lines — reads back as it was written, spaces included.
    #[test]
    fn subjects_written_by_lettre_read_back_whole() {
        for subject in [
            "Jemand hat die Wiederherstellung Ihres Kontos bei Beispiel AG gestartet – bitte prüfen",
            "Quelqu'un a lancé la récupération de votre compte chez Exemple SA : vérifiez maintenant",
            "Your account at Example Ltd: a recovery started from a browser we do not know yet",
        ] {
            let message = lettre::Message::builder()
                .from("a@example.com".parse().unwrap())
                .to("b@example.com".parse().unwrap())
                .subject(subject)
                .body(String::from("body"))
                .unwrap();
            let raw = String::from_utf8(message.formatted()).unwrap();
            let folded = header(&raw, "Subject").unwrap();
            assert_eq!(decode_words(&folded), subject, "{raw}");
        }
    }
}
