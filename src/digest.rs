//! Stable digests: the same bytes give the same value on every platform and in every
//! release (unlike the standard hasher), so that shards, baselines and caches written by one
//! run can be read by another.

/// FNV-1a's starting value.
pub(crate) const START: u64 = 0xcbf2_9ce4_8422_2325;

/// `h` folded with `bytes` by FNV-1a.
pub(crate) fn fnv(mut h: u64, bytes: impl IntoIterator<Item = u8>) -> u64 {
    for b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// `h` folded with each of `fields`, each ended by a 0 byte so that ("ab", "c") and
/// ("a", "bc") differ.
pub(crate) fn fields<'a>(h: u64, fields: impl IntoIterator<Item = &'a [u8]>) -> u64 {
    fields
        .into_iter()
        .fold(h, |h, f| fnv(h, f.iter().copied().chain([0])))
}

/// `h` updated with `bytes`, on every core when they are many (for fewer, threads cost more
/// than they save: BLAKE3's own advice is 128 KiB).
pub(crate) fn blake3_update(h: &mut blake3::Hasher, bytes: &[u8]) {
    if bytes.len() >= 1 << 20 {
        h.update_rayon(bytes);
    } else {
        h.update(bytes);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn values_are_those_of_fnv_1a_and_fields_are_kept_apart() {
        // The published FNV-1a 64 test vector for "a".
        assert_eq!(super::fnv(super::START, *b"a"), 0xaf63_dc4c_8601_ec8c);
        let one = super::fields(super::START, [&b"ab"[..], b"c"]);
        let other = super::fields(super::START, [&b"a"[..], b"bc"]);
        assert_ne!(one, other);
    }
}
