//! Evidence files: recognising the type by content (never by name or declared type) and making
//! the user's file name safe to display.

use super::questionnaire::FileType;

/// Recognises a supported file type from its first bytes (and, for Office files, the names of
/// the archive entries). Returns `None` for anything else.
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
        let contains = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
        if contains(b"[Content_Types].xml") {
            if contains(b"xl/") {
                return Some(FileType::Xlsx);
            }
            if contains(b"word/") {
                return Some(FileType::Docx);
            }
        }
        return None;
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
            !c.is_control()
                && !('\u{202A}'..='\u{202E}').contains(c)
                && !('\u{2066}'..='\u{2069}').contains(c)
                && !matches!(c, '"' | '<' | '>' | ':' | '|' | '?' | '*')
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
    fn types_are_recognised_by_content_not_by_name() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(FileType::Pdf));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nxxxx"), Some(FileType::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(FileType::Jpeg));
        assert_eq!(sniff(b"PK\x03\x04....[Content_Types].xml....xl/workbook.xml"), Some(FileType::Xlsx));
        assert_eq!(sniff(b"PK\x03\x04....[Content_Types].xml....word/document.xml"), Some(FileType::Docx));
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
        assert_eq!(display_name("..."), "file");
        assert_eq!(display_name("a\"b<c>.pdf"), "abc.pdf");
        assert_eq!(display_name("отчёт за 2025.pdf"), "отчёт за 2025.pdf");
    }
}
