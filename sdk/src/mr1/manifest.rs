//! The MR1 manifest: RFC 8785 (JCS) canonical JSON of the file list.

use super::{Mr1Error, Result, CHUNK_SIZE, FORMAT};

/// The largest size the manifest can state: sizes are JSON numbers, which RFC 8785 writes as
/// IEEE-754 doubles, exact up to 2^53 − 1.
pub const MAX_SAFE_SIZE: u64 = (1 << 53) - 1;

/// The canonical manifest of `files` (relative `/`-separated path, size in bytes):
/// `{"chunkSize":4096,"files":[{"path":…,"size":…},…],"format":"mr1"}` with keys in RFC 8785
/// order, no whitespace, strings escaped as RFC 8785 says. Files are put in canonical order
/// (ascending raw path bytes) whatever order they come in.
///
/// Fails with [`Mr1Error::FileTooLarge`] when a size exceeds [`MAX_SAFE_SIZE`].
pub fn manifest_json<'a, I>(files: I) -> Result<String>
where
    I: IntoIterator<Item = (&'a str, u64)>,
{
    let mut files: Vec<(&str, u64)> = files.into_iter().collect();
    files.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut out = String::with_capacity(64 + files.len() * 48);
    out.push_str("{\"chunkSize\":");
    out.push_str(&CHUNK_SIZE.to_string());
    out.push_str(",\"files\":[");
    for (i, (path, size)) in files.iter().enumerate() {
        if *size > MAX_SAFE_SIZE {
            return Err(Mr1Error::FileTooLarge {
                path: (*path).into(),
                size: *size,
            });
        }
        if i > 0 {
            out.push(',');
        }
        // RFC 8785 orders keys by UTF-16 code units: "path" < "size".
        out.push_str("{\"path\":");
        push_json_string(&mut out, path);
        out.push_str(",\"size\":");
        out.push_str(&size.to_string());
        out.push('}');
    }
    out.push_str("],\"format\":");
    push_json_string(&mut out, FORMAT);
    out.push('}');
    Ok(out)
}

/// Appends `s` as an RFC 8785 JSON string: `"` and `\` escaped, the control characters
/// U+0000–U+001F as `\b \t \n \f \r` or `\u00xx` (lower-case hex), everything else as is (UTF-8).
pub(crate) fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{08}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{0c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let v = c as u32 as usize;
                out.push_str("\\u00");
                out.push(HEX[v >> 4] as char);
                out.push(HEX[v & 0xf] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(s: &str) -> String {
        let mut out = String::new();
        push_json_string(&mut out, s);
        out
    }

    #[test]
    fn rfc8785_escaping() {
        assert_eq!(json("a/b.bin"), "\"a/b.bin\"");
        assert_eq!(json("q\"b\\"), "\"q\\\"b\\\\\"");
        assert_eq!(json("\u{8}\t\n\u{c}\r"), "\"\\b\\t\\n\\f\\r\"");
        assert_eq!(json("\u{0}\u{1f}"), "\"\\u0000\\u001f\"");
        // DEL, non-ASCII, U+2028 and '/' are written as they are.
        assert_eq!(json("\u{7f}é€\u{2028}/😀"), "\"\u{7f}é€\u{2028}/😀\"");
    }

    #[test]
    fn canonical_order_and_shape() {
        let m = manifest_json([
            ("z.json", 10),
            ("a/b.bin", 9000),
            ("A.txt", 4096),
            ("empty", 0),
        ])
        .expect("manifest");
        assert_eq!(
            m,
            "{\"chunkSize\":4096,\"files\":[{\"path\":\"A.txt\",\"size\":4096},\
             {\"path\":\"a/b.bin\",\"size\":9000},{\"path\":\"empty\",\"size\":0},\
             {\"path\":\"z.json\",\"size\":10}],\"format\":\"mr1\"}"
        );
    }

    #[test]
    fn raw_byte_order() {
        // '-' (0x2d) < '.' (0x2e) < '/' (0x2f): byte order, not directory-walk order.
        let m = manifest_json([("a/b", 1), ("a.txt", 1), ("a-b", 1)]).expect("manifest");
        let a_dash = m.find("a-b").expect("a-b");
        let a_dot = m.find("a.txt").expect("a.txt");
        let a_slash = m.find("a/b").expect("a/b");
        assert!(a_dash < a_dot && a_dot < a_slash);
    }

    #[test]
    fn too_large() {
        assert!(manifest_json([("x", MAX_SAFE_SIZE)]).is_ok());
        assert!(matches!(
            manifest_json([("x", MAX_SAFE_SIZE + 1)]),
            Err(Mr1Error::FileTooLarge { .. })
        ));
    }
}
