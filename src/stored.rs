//! The binary form a built index is kept in between runs: arrays written as they lie in
//! memory, read straight back into arrays of their own (no second copy of a file of
//! hundreds of megabytes), with a BLAKE3 hash of everything before it at the end.
//!
//! Reading never trusts the file: every length is held to what is left of it before
//! anything is allocated, the header names quotecheck's version and the machine's byte
//! order, and a hash that does not match makes the whole read `None`. The types that are
//! stored check their own invariants on the way in (`load` functions in their modules).

use std::io::{self, Read, Write};

/// The first bytes of a stored index: its format, quotecheck's version, and the byte order
/// and width the arrays were written in (a file from another machine is not read).
fn header() -> String {
    let order = if cfg!(target_endian = "little") {
        "le"
    } else {
        "be"
    };
    format!(
        "quotecheck-index 1 {} {order}{}\n",
        env!("CARGO_PKG_VERSION"),
        usize::BITS
    )
}

/// A stored form being written.
pub(crate) struct Out<'a> {
    w: &'a mut dyn Write,
    hash: blake3::Hasher,
}

impl<'a> Out<'a> {
    /// Start writing to `w`.
    pub(crate) fn new(w: &'a mut dyn Write) -> io::Result<Out<'a>> {
        let mut out = Out {
            w,
            hash: blake3::Hasher::new(),
        };
        out.raw(header().as_bytes())?;
        Ok(out)
    }

    fn raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        crate::digest::blake3_update(&mut self.hash, bytes);
        self.w.write_all(bytes)
    }

    pub(crate) fn u64(&mut self, v: u64) -> io::Result<()> {
        self.raw(&v.to_le_bytes())
    }

    /// A length, then the array's bytes as they lie in memory.
    pub(crate) fn array<T: bytemuck::Pod>(&mut self, v: &[T]) -> io::Result<()> {
        self.u64(v.len() as u64)?;
        self.raw(bytemuck::cast_slice(v))
    }

    /// Pairs, as one array of twice their number.
    pub(crate) fn pairs(&mut self, v: &[(u32, u32)]) -> io::Result<()> {
        let flat: Vec<u32> = v.iter().flat_map(|&(a, b)| [a, b]).collect();
        self.array(&flat)
    }

    pub(crate) fn chars(&mut self, v: &[char]) -> io::Result<()> {
        let codes: Vec<u32> = v.iter().map(|&c| c as u32).collect();
        self.array(&codes)
    }

    /// End with the hash of all that was written.
    pub(crate) fn finish(self) -> io::Result<()> {
        let hash = *self.hash.finalize().as_bytes();
        self.w.write_all(&hash)?;
        self.w.flush()
    }
}

/// A stored form being read. Every method gives `None` once anything is wrong.
pub(crate) struct In<'a> {
    r: &'a mut dyn Read,
    hash: blake3::Hasher,
    /// Bytes of the file not read yet, the hash at its end included.
    left: u64,
}

impl<'a> In<'a> {
    /// Start reading `len` bytes from `r`; `None` when they do not begin with this build's
    /// header.
    pub(crate) fn new(r: &'a mut dyn Read, len: u64) -> Option<In<'a>> {
        let mut input = In {
            r,
            hash: blake3::Hasher::new(),
            left: len,
        };
        let want = header();
        let mut got = vec![0; want.len()];
        input.raw(&mut got)?;
        (got == want.as_bytes()).then_some(input)
    }

    fn raw(&mut self, buf: &mut [u8]) -> Option<()> {
        self.left = self.left.checked_sub(buf.len() as u64)?;
        self.r.read_exact(buf).ok()?;
        crate::digest::blake3_update(&mut self.hash, buf);
        Some(())
    }

    pub(crate) fn u64(&mut self) -> Option<u64> {
        let mut b = [0; 8];
        self.raw(&mut b)?;
        Some(u64::from_le_bytes(b))
    }

    /// A `u64` that must fit in `u32`.
    pub(crate) fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.u64()?).ok()
    }

    /// An array written by [`Out::array`]; its length is held to what the file has left
    /// before anything is allocated.
    pub(crate) fn array<T: bytemuck::Pod>(&mut self) -> Option<Vec<T>> {
        let n = self.u64()?;
        let bytes = n.checked_mul(std::mem::size_of::<T>() as u64)?;
        if bytes > self.left {
            return None;
        }
        let mut v = vec![T::zeroed(); usize::try_from(n).ok()?];
        self.raw(bytemuck::cast_slice_mut(&mut v))?;
        Some(v)
    }

    pub(crate) fn pairs(&mut self) -> Option<Vec<(u32, u32)>> {
        let flat: Vec<u32> = self.array()?;
        let (pairs, rest) = flat.as_chunks::<2>();
        rest.is_empty()
            .then(|| pairs.iter().map(|&[a, b]| (a, b)).collect())
    }

    pub(crate) fn chars(&mut self) -> Option<Vec<char>> {
        let codes: Vec<u32> = self.array()?;
        codes.into_iter().map(char::from_u32).collect()
    }

    pub(crate) fn string(&mut self) -> Option<String> {
        String::from_utf8(self.array()?).ok()
    }

    /// The end: the hash must match what was read, and nothing may follow it.
    pub(crate) fn finish(self) -> Option<()> {
        let mut stored = [0; 32];
        if self.left != 32 {
            return None;
        }
        self.r.read_exact(&mut stored).ok()?;
        (stored == *self.hash.finalize().as_bytes()).then_some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(f: impl FnOnce(&mut Out) -> io::Result<()>) -> Vec<u8> {
        let mut bytes = Vec::new();
        let mut out = Out::new(&mut bytes).unwrap();
        f(&mut out).unwrap();
        out.finish().unwrap();
        bytes
    }

    fn read<T>(bytes: &[u8], f: impl FnOnce(&mut In) -> Option<T>) -> Option<T> {
        let mut r = bytes;
        let mut input = In::new(&mut r, bytes.len() as u64)?;
        let v = f(&mut input)?;
        input.finish()?;
        Some(v)
    }

    #[test]
    fn arrays_come_back_and_any_damage_is_refused() {
        let bytes = written(|o| {
            o.array(&[1u32, 2, 70_000])?;
            o.pairs(&[(3, 4)])?;
            o.chars(&['a', 'é'])?;
            o.array(b"text")
        });
        let all = |i: &mut In| Some((i.array::<u32>()?, i.pairs()?, i.chars()?, i.string()?));
        let back = read(&bytes, all).unwrap();
        assert_eq!(back.0, [1, 2, 70_000]);
        assert_eq!(back.1, [(3, 4)]);
        assert_eq!(back.2, ['a', 'é']);
        assert_eq!(back.3, "text");
        // Every single changed byte, and every cut, is caught.
        for at in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[at] ^= 0x10;
            assert!(read(&bad, all).is_none(), "byte {at} changed");
            assert!(read(&bytes[..at], all).is_none(), "cut at {at}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(read(&longer, all).is_none());
    }

    #[test]
    fn a_length_beyond_the_file_allocates_nothing() {
        let bytes = written(|o| o.u64(u64::MAX / 2));
        assert!(read(&bytes, |i| i.array::<u32>()).is_none());
        let bytes = written(|o| o.u64(1 << 40));
        assert!(read(&bytes, |i| i.array::<u8>()).is_none());
    }
}
