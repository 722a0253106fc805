//! Evidence files: recognising the type by content (never by name or declared type), checking
//! that an Office file is a complete ZIP container that does not expand past configured limits,
//! and making the user's file name safe to display.

use super::questionnaire::FileType;
use super::validation::ErrorCode;

/// How far an Office file (a ZIP archive) may expand. A file past either limit is refused, so
/// a "zip bomb" never reaches an officer's spreadsheet program or a later import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArchiveLimits {
    /// Largest total uncompressed size of all entries, in bytes.
    pub max_uncompressed: u64,
    /// Largest ratio of the total uncompressed size to the file's size (Apache POI refuses
    /// entries past 100:1 by default; real Office XML stays far below).
    pub max_ratio: u64,
    /// Most entries in the archive.
    pub max_entries: usize,
}

impl Default for ArchiveLimits {
    fn default() -> Self {
        Self { max_uncompressed: 100 * 1024 * 1024, max_ratio: 100, max_entries: 5_000 }
    }
}

/// The checks every evidence upload passes, in order: not empty, within `max_bytes`, and a
/// supported type recognised by content ([`identify`]). Assessment and disclosure evidence share it.
pub fn check(bytes: &[u8], max_bytes: usize, limits: &ArchiveLimits) -> Result<FileType, ErrorCode> {
    if bytes.is_empty() {
        return Err(ErrorCode::FileEmpty);
    }
    if bytes.len() > max_bytes {
        return Err(ErrorCode::FileTooLarge);
    }
    identify(bytes, limits)
}

/// Recognises a supported file type by content and, for DOCX and XLSX, checks the archive
/// (see [`office_type`]). `FileTypeNotAllowed` for anything else.
pub fn identify(bytes: &[u8], limits: &ArchiveLimits) -> Result<FileType, ErrorCode> {
    if bytes.starts_with(b"PK\x03\x04") {
        return office_type(bytes, limits);
    }
    sniff(bytes).ok_or(ErrorCode::FileTypeNotAllowed)
}

/// One entry of a ZIP central directory, as far as the checks need it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    name: Vec<u8>,
    compressed: u64,
    uncompressed: u64,
    /// Where its local header starts and where its data ends.
    span: (u64, u64),
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u64> {
    bytes.get(at..at + 2).map(|b| u64::from(u16::from_le_bytes([b[0], b[1]])))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u64> {
    bytes.get(at..at + 4).map(|b| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
}

/// Reads the central directory without inflating anything: every entry must be stored or
/// deflated, unencrypted, with a local header that agrees with it, its data inside the file
/// before the directory, and no two entries sharing bytes (overlapping entries are how
/// non-recursive zip bombs multiply their output). ZIP64 is refused: an Office file within the
/// upload limit never needs it. `FileDamaged` for anything truncated or inconsistent.
fn entries(bytes: &[u8], max_entries: usize) -> Result<Vec<Entry>, ErrorCode> {
    let damaged = ErrorCode::FileDamaged;
    let len = bytes.len();
    // The end-of-central-directory record is 22 bytes plus a comment of at most 65,535 bytes,
    // and the comment must run exactly to the end of the file.
    let earliest = len.saturating_sub(22 + 65_535);
    let eocd = (earliest..=len.saturating_sub(22))
        .rev()
        .find(|&at| {
            bytes[at..].starts_with(b"PK\x05\x06")
                && u16_at(bytes, at + 20).is_some_and(|comment| at + 22 + comment as usize == len)
        })
        .ok_or(damaged)?;
    let field = |offset: usize| u16_at(bytes, eocd + offset).ok_or(damaged);
    let (disk, directory_disk, on_disk, total) = (field(4)?, field(6)?, field(8)?, field(10)?);
    let size = u32_at(bytes, eocd + 12).ok_or(damaged)?;
    let offset = u32_at(bytes, eocd + 16).ok_or(damaged)?;
    if disk != 0 || directory_disk != 0 || on_disk != total || total == 0xFFFF || offset == 0xFFFF_FFFF {
        return Err(damaged);
    }
    if total as usize > max_entries {
        return Err(ErrorCode::FileExpandsTooMuch);
    }
    if offset + size != eocd as u64 {
        return Err(damaged);
    }
    let mut out = Vec::with_capacity(total as usize);
    let mut at = offset as usize;
    for _ in 0..total {
        if !bytes.get(at..).is_some_and(|b| b.starts_with(b"PK\x01\x02")) {
            return Err(damaged);
        }
        let number = |o: usize| u16_at(bytes, at + o).ok_or(damaged);
        let (flags, method) = (number(8)?, number(10)?);
        let compressed = u32_at(bytes, at + 20).ok_or(damaged)?;
        let uncompressed = u32_at(bytes, at + 24).ok_or(damaged)?;
        let (name_len, extra_len, comment_len) = (number(28)? as usize, number(30)? as usize, number(32)? as usize);
        let local = u32_at(bytes, at + 42).ok_or(damaged)?;
        let name = bytes.get(at + 46..at + 46 + name_len).ok_or(damaged)?.to_vec();
        let encrypted = flags & 1 != 0;
        let zip64 = compressed == 0xFFFF_FFFF || uncompressed == 0xFFFF_FFFF || local == 0xFFFF_FFFF;
        let unknown_method = !(method == 0 || method == 8);
        if encrypted || zip64 || unknown_method || (method == 0 && compressed != uncompressed) {
            return Err(damaged);
        }
        // The local header must describe the same entry.
        let l = local as usize;
        if !bytes.get(l..).is_some_and(|b| b.starts_with(b"PK\x03\x04"))
            || u16_at(bytes, l + 8) != Some(method)
            || bytes.get(l + 30..l + 30 + u16_at(bytes, l + 26).ok_or(damaged)? as usize) != Some(name.as_slice())
        {
            return Err(damaged);
        }
        let data_start = local + 30 + u16_at(bytes, l + 26).ok_or(damaged)? + u16_at(bytes, l + 28).ok_or(damaged)?;
        let data_end = data_start + compressed;
        if data_end > offset {
            return Err(damaged);
        }
        out.push(Entry { name, compressed, uncompressed, span: (local, data_end) });
        at += 46 + name_len + extra_len + comment_len;
    }
    if at != eocd {
        return Err(damaged);
    }
    let mut spans: Vec<(u64, u64)> = out.iter().map(|e| e.span).collect();
    spans.sort_unstable();
    if spans.windows(2).any(|w| w[1].0 < w[0].1) {
        return Err(damaged);
    }
    Ok(out)
}

/// Checks an Office file: a real ZIP container (see [`entries`]) with `[Content_Types].xml`
/// and `word/document.xml` (DOCX) or `xl/workbook.xml` (XLSX), whose declared uncompressed
/// size stays within `limits`. Declared sizes are what a reader allocates and inflates to; the
/// check reads them from the central directory and does not inflate.
pub fn office_type(bytes: &[u8], limits: &ArchiveLimits) -> Result<FileType, ErrorCode> {
    let found = entries(bytes, limits.max_entries)?;
    let total: u64 = found.iter().map(|e| e.uncompressed).sum();
    let size = (bytes.len() as u64).max(1);
    if total > limits.max_uncompressed || total / size > limits.max_ratio {
        return Err(ErrorCode::FileExpandsTooMuch);
    }
    let has = |name: &[u8]| found.iter().any(|e| e.name == name);
    if !has(b"[Content_Types].xml") {
        return Err(ErrorCode::FileTypeNotAllowed);
    }
    match (has(b"word/document.xml"), has(b"xl/workbook.xml")) {
        (true, false) => Ok(FileType::Docx),
        (false, true) => Ok(FileType::Xlsx),
        // A package with neither main part (or, oddly, both) is not a document Office opens.
        _ => Err(ErrorCode::FileDamaged),
    }
}

/// Recognises a supported file type from its first bytes; Office files by their archive's
/// parts within the default limits. Returns `None` for anything else.
pub fn sniff(bytes: &[u8]) -> Option<FileType> {
    if bytes.starts_with(b"%PDF-") {
        return Some(FileType::Pdf);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(FileType::Png);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(FileType::Jpeg);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return office_type(bytes, &ArchiveLimits::default()).ok();
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let plausible_csv = !text.is_empty()
        && !text.contains('\0')
        && text.lines().next().is_some_and(|l| l.contains(',') || l.contains(';') || l.contains('\t'));
    plausible_csv.then_some(FileType::Csv)
}

/// The media type to serve a file type with.
pub fn media_type(kind: FileType) -> &'static str {
    match kind {
        FileType::Pdf => "application/pdf",
        FileType::Png => "image/png",
        FileType::Jpeg => "image/jpeg",
        FileType::Csv => "text/csv",
        FileType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        FileType::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
}

/// A file name safe to show and to offer on download: the last path component only, without
/// control, bidi or path characters, leading dots or trailing dots and spaces, at most 120
/// characters; `file` when nothing is left.
pub fn display_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\', '\u{2215}', '\u{FF0F}']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| {
            !c.is_control() && !super::text::is_invisible(*c) && !matches!(c, '"' | '<' | '>' | ':' | '|' | '?' | '*')
        })
        .take(120)
        .collect();
    let trimmed = cleaned.trim_start_matches('.').trim_end_matches(['.', ' ']).trim();
    if trimmed.is_empty() { "file".to_owned() } else { trimmed.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upload_is_checked_for_emptiness_then_size_then_type() {
        let limits = ArchiveLimits::default();
        assert_eq!(check(b"", 10, &limits), Err(ErrorCode::FileEmpty));
        assert_eq!(check(b"%PDF-1.7 and more", 10, &limits), Err(ErrorCode::FileTooLarge));
        assert_eq!(check(b"%PDF-1.7", 10, &limits), Ok(FileType::Pdf));
        assert_eq!(check(b"MZ\x90\x00", 10, &limits), Err(ErrorCode::FileTypeNotAllowed));
    }

    #[test]
    fn types_are_recognised_by_content_not_by_name() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(FileType::Pdf));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nxxxx"), Some(FileType::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(FileType::Jpeg));
        assert_eq!(sniff(&testing::xlsx()), Some(FileType::Xlsx));
        assert_eq!(sniff(&testing::docx()), Some(FileType::Docx));
        // Part names somewhere in the bytes are not an archive.
        assert_eq!(sniff(b"PK\x03\x04....[Content_Types].xml....xl/workbook.xml"), None);
        assert_eq!(sniff(b"PK\x03\x04 just a zip"), None);
        assert_eq!(sniff(b"sku;hs_code\n1;8528720000\n"), Some(FileType::Csv));
        assert_eq!(sniff(b"<html><script>alert(1)</script>"), None);
        assert_eq!(sniff(b"MZ\x90\x00 executable"), None);
        assert_eq!(sniff(b"a,b\0c"), None);
    }

    #[test]
    fn file_names_lose_paths_and_dangerous_characters() {
        assert_eq!(display_name("../../etc/passwd"), "passwd");
        assert_eq!(display_name("C:\\Users\\a\\report.pdf"), "report.pdf");
        assert_eq!(display_name("evil\u{202E}fdp.exe"), "evilfdp.exe");
        assert_eq!(display_name("re\u{200B}port\u{FEFF}\u{2028}.pdf"), "report.pdf");
        assert_eq!(display_name("..."), "file");
        assert_eq!(display_name("a\"b<c>.pdf"), "abc.pdf");
        assert_eq!(display_name("отчёт за 2025.pdf"), "отчёт за 2025.pdf");
    }

    fn limits() -> ArchiveLimits {
        ArchiveLimits::default()
    }

    #[test]
    fn real_office_files_pass_and_need_their_parts() {
        assert_eq!(identify(&testing::docx(), &limits()), Ok(FileType::Docx));
        assert_eq!(identify(&testing::xlsx(), &limits()), Ok(FileType::Xlsx));
        let no_types = testing::zip(&[("word/document.xml", b"<w:document/>")]);
        assert_eq!(identify(&no_types, &limits()), Err(ErrorCode::FileTypeNotAllowed), "a plain ZIP");
        let no_document = testing::zip(&[("[Content_Types].xml", b"<Types/>"), ("word/styles.xml", b"<w:styles/>")]);
        assert_eq!(identify(&no_document, &limits()), Err(ErrorCode::FileDamaged), "DOCX without its main part");
    }

    #[test]
    fn truncated_or_inconsistent_archives_are_damaged() {
        let good = testing::docx();
        for cut in [good.len() - 1, good.len() - 22, good.len() / 2, 10] {
            assert_eq!(identify(&good[..cut], &limits()), Err(ErrorCode::FileDamaged), "cut at {cut}");
        }
        let mut trailing = good.clone();
        trailing.extend_from_slice(b"junk");
        assert_eq!(identify(&trailing, &limits()), Err(ErrorCode::FileDamaged));
        // The directory claims a method the local header does not have.
        let mut mismatch = good.clone();
        mismatch[8] = 8;
        assert_eq!(identify(&mismatch, &limits()), Err(ErrorCode::FileDamaged));
        // Encrypted entries cannot be checked.
        let mut encrypted = good;
        let directory = testing::directory_offset(&encrypted);
        encrypted[directory + 8] |= 1;
        assert_eq!(identify(&encrypted, &limits()), Err(ErrorCode::FileDamaged));
    }

    #[test]
    fn archives_that_expand_too_far_are_refused() {
        // A crafted deflate entry that claims 4 GiB − 2 from 1 KiB of data.
        let bomb = testing::zip_with(&[
            testing::Raw::stored("[Content_Types].xml", b"<Types/>"),
            testing::Raw::stored("word/document.xml", b"<w:document/>"),
            testing::Raw { name: "word/media/fill.bin", method: 8, data: vec![0; 1024], uncompressed: 0xFFFF_FFFE },
        ]);
        assert_eq!(identify(&bomb, &limits()), Err(ErrorCode::FileExpandsTooMuch));
        // Under the size limit but past the ratio: 60 MiB from a few KiB.
        let ratio = testing::zip_with(&[
            testing::Raw::stored("[Content_Types].xml", b"<Types/>"),
            testing::Raw::stored("xl/workbook.xml", b"<workbook/>"),
            testing::Raw { name: "xl/worksheets/sheet1.xml", method: 8, data: vec![0; 4096], uncompressed: 60 << 20 },
        ]);
        assert_eq!(identify(&ratio, &limits()), Err(ErrorCode::FileExpandsTooMuch));
        let strict = ArchiveLimits { max_uncompressed: 100, ..limits() };
        assert_eq!(identify(&testing::xlsx(), &strict), Err(ErrorCode::FileExpandsTooMuch), "configured size");
        let few = ArchiveLimits { max_entries: 2, ..limits() };
        assert_eq!(identify(&testing::xlsx(), &few), Err(ErrorCode::FileExpandsTooMuch), "configured entries");
        // Two directory entries pointing at the same bytes (an overlapping-entry bomb).
        let overlapping = testing::overlapping();
        assert_eq!(identify(&overlapping, &limits()), Err(ErrorCode::FileDamaged));
    }
}

/// Builders of small, real ZIP archives for tests (stored entries, or crafted ones).
#[cfg(test)]
pub mod testing {
    /// One entry as written: `data` goes in the file as-is, the sizes are what the headers say.
    pub struct Raw {
        /// Entry name.
        pub name: &'static str,
        /// 0 stored, 8 deflated.
        pub method: u16,
        /// The bytes in the archive.
        pub data: Vec<u8>,
        /// The declared uncompressed size.
        pub uncompressed: u32,
    }

    impl Raw {
        /// A stored entry.
        pub fn stored(name: &'static str, data: &[u8]) -> Raw {
            Raw { name, method: 0, data: data.to_vec(), uncompressed: data.len() as u32 }
        }
    }

    /// An archive of stored entries.
    pub fn zip(entries: &[(&'static str, &[u8])]) -> Vec<u8> {
        zip_with(&entries.iter().map(|(n, d)| Raw::stored(n, d)).collect::<Vec<_>>())
    }

    /// An archive of the given entries, CRCs left zero (nothing here inflates or verifies them).
    pub fn zip_with(entries: &[Raw]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut directory = Vec::new();
        for e in entries {
            let offset = out.len() as u32;
            let header = |sig: &[u8], out: &mut Vec<u8>, central: bool| {
                out.extend_from_slice(sig);
                if central {
                    out.extend_from_slice(&20u16.to_le_bytes());
                }
                out.extend_from_slice(&20u16.to_le_bytes());
                out.extend_from_slice(&0u16.to_le_bytes());
                out.extend_from_slice(&e.method.to_le_bytes());
                out.extend_from_slice(&[0; 4]);
                out.extend_from_slice(&[0; 4]);
                out.extend_from_slice(&(e.data.len() as u32).to_le_bytes());
                out.extend_from_slice(&e.uncompressed.to_le_bytes());
                out.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
                out.extend_from_slice(&0u16.to_le_bytes());
            };
            header(b"PK\x03\x04", &mut out, false);
            out.extend_from_slice(e.name.as_bytes());
            out.extend_from_slice(&e.data);
            header(b"PK\x01\x02", &mut directory, true);
            // Comment length, disk, internal and external attributes.
            directory.extend_from_slice(&[0; 10]);
            directory.extend_from_slice(&offset.to_le_bytes());
            directory.extend_from_slice(e.name.as_bytes());
        }
        finish(out, directory, entries.len() as u16)
    }

    fn finish(mut out: Vec<u8>, directory: Vec<u8>, count: u16) -> Vec<u8> {
        let offset = out.len() as u32;
        out.extend_from_slice(&directory);
        out.extend_from_slice(b"PK\x05\x06");
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&count.to_le_bytes());
        out.extend_from_slice(&count.to_le_bytes());
        out.extend_from_slice(&(directory.len() as u32).to_le_bytes());
        out.extend_from_slice(&offset.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }

    /// Where the central directory starts.
    pub fn directory_offset(zip: &[u8]) -> usize {
        let eocd = zip.len() - 22;
        u32::from_le_bytes([zip[eocd + 16], zip[eocd + 17], zip[eocd + 18], zip[eocd + 19]]) as usize
    }

    /// A DOCX archive with the parts Word writes first.
    pub fn docx() -> Vec<u8> {
        zip(&[
            ("[Content_Types].xml", b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"),
            ("_rels/.rels", b"<Relationships/>"),
            ("word/document.xml", b"<w:document><w:body><w:p><w:r><w:t>Procedure</w:t></w:r></w:p></w:body></w:document>"),
        ])
    }

    /// An XLSX archive with the parts Excel writes first.
    pub fn xlsx() -> Vec<u8> {
        zip(&[
            ("[Content_Types].xml", b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"),
            ("_rels/.rels", b"<Relationships/>"),
            ("xl/workbook.xml", b"<workbook><sheets><sheet name=\"Declarations\" sheetId=\"1\"/></sheets></workbook>"),
            ("xl/worksheets/sheet1.xml", b"<worksheet><sheetData/></worksheet>"),
        ])
    }

    /// A DOCX whose directory lists the same local entry twice under different names.
    pub fn overlapping() -> Vec<u8> {
        let good = docx();
        let directory = directory_offset(&good);
        let eocd = good.len() - 22;
        let mut central = good[directory..eocd].to_vec();
        // A second copy of the first record points at the same local header and data.
        let first_len = 46 + u16::from_le_bytes([central[28], central[29]]) as usize;
        let copy = central[..first_len].to_vec();
        central.extend_from_slice(&copy);
        let count = u16::from_le_bytes([good[eocd + 10], good[eocd + 11]]) + 1;
        finish(good[..directory].to_vec(), central, count)
    }
}
