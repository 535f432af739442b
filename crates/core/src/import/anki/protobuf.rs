//! Just enough of the protobuf wire format to read what Anki stores as protobuf: the package's
//! `meta` and media map, and note type and template configs. Unknown fields are skipped.

/// A field's value as it appears on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Value<'a> {
    /// Varint (ints, bools, enums).
    Int(u64),
    /// Length-delimited (strings, bytes, nested messages).
    Bytes(&'a [u8]),
}

/// The fields of one message, in order: (field number, value). `None` if the bytes are not a
/// well-formed message.
pub(super) fn fields(mut buf: &[u8]) -> Option<Vec<(u32, Value<'_>)>> {
    let mut out = Vec::new();
    while !buf.is_empty() {
        let key = varint(&mut buf)?;
        let number = u32::try_from(key >> 3).ok()?;
        let value = match key & 7 {
            0 => Value::Int(varint(&mut buf)?),
            1 => Value::Bytes(take(&mut buf, 8)?),
            2 => {
                let len = usize::try_from(varint(&mut buf)?).ok()?;
                Value::Bytes(take(&mut buf, len)?)
            }
            5 => Value::Bytes(take(&mut buf, 4)?),
            _ => return None,
        };
        out.push((number, value));
    }
    Some(out)
}

/// The first string in field `number`, if any.
pub(super) fn string(fields: &[(u32, Value<'_>)], number: u32) -> Option<String> {
    fields.iter().find_map(|(n, v)| match v {
        Value::Bytes(b) if *n == number => std::str::from_utf8(b).ok().map(String::from),
        _ => None,
    })
}

/// The first integer in field `number`, or 0 (protobuf's default).
pub(super) fn int(fields: &[(u32, Value<'_>)], number: u32) -> u64 {
    fields
        .iter()
        .find_map(|(n, v)| match v {
            Value::Int(i) if *n == number => Some(*i),
            _ => None,
        })
        .unwrap_or(0)
}

fn varint(buf: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let (&byte, rest) = buf.split_first()?;
        *buf = rest;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

fn take<'a>(buf: &mut &'a [u8], len: usize) -> Option<&'a [u8]> {
    if buf.len() < len {
        return None;
    }
    let (head, rest) = buf.split_at(len);
    *buf = rest;
    Some(head)
}

/// Writing, for the export: each function appends one field.
#[cfg(test)]
pub(crate) mod write {
    /// Appends a varint field.
    pub(crate) fn int(out: &mut Vec<u8>, number: u32, value: u64) {
        varint(out, u64::from(number) << 3);
        varint(out, value);
    }

    /// Appends a length-delimited field (string, bytes or nested message).
    pub(crate) fn bytes(out: &mut Vec<u8>, number: u32, value: &[u8]) {
        varint(out, (u64::from(number) << 3) | 2);
        varint(out, value.len() as u64);
        out.extend_from_slice(value);
    }

    fn varint(out: &mut Vec<u8>, mut v: u64) {
        while v >= 0x80 {
            out.push((v as u8) | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_back_what_it_writes() {
        let mut inner = Vec::new();
        write::bytes(&mut inner, 1, "label.png".as_bytes());
        write::int(&mut inner, 2, 300);
        let mut outer = Vec::new();
        write::bytes(&mut outer, 1, &inner);
        write::int(&mut outer, 7, 1);
        let f = fields(&outer).unwrap();
        assert_eq!(int(&f, 7), 1);
        let Value::Bytes(b) = f[0].1 else { panic!() };
        let g = fields(b).unwrap();
        assert_eq!(string(&g, 1).as_deref(), Some("label.png"));
        assert_eq!(int(&g, 2), 300);
        assert_eq!(int(&g, 9), 0, "absent means default");
    }

    #[test]
    fn refuses_truncated_messages() {
        assert!(fields(&[0x0a, 0x05, b'a']).is_none());
        assert!(fields(&[0x08, 0x80]).is_none());
        assert!(
            fields(&[0x0b]).is_none(),
            "group wire types are not used by Anki"
        );
    }
}
