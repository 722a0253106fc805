//! The tamper-evident audit chain. Each event's hash covers the previous event's hash, its own
//! sequence number and a length-prefixed encoding of every field, so editing, deleting,
//! reordering or inserting any event breaks the chain at that point. Pure: hashing only.

use super::id::{OrganisationId, UserId};
use super::time::Timestamp;
use sha2::{Digest, Sha256};

/// The previous hash of the first event.
pub const GENESIS: [u8; 32] = [0; 32];

/// Domain separation so an audit hash can never be confused with another SHA-256 in Senim.
const TAG: &[u8] = b"senim-audit-v1";

/// One audit event as it is hashed and stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    /// Position in the chain, starting at 1, without gaps.
    pub seq: i64,
    /// Server time of the event in Unix milliseconds (UTC).
    pub at_ms: Timestamp,
    /// The acting user, if any (a failed sign-in for an unknown e-mail has none).
    pub actor_user_id: Option<UserId>,
    /// The acting user's organisation, for trader users.
    pub actor_org_id: Option<OrganisationId>,
    /// The acting user's role code at the time.
    pub actor_role: Option<String>,
    /// What happened, e.g. `auth.sign_in`, `member.role_change`.
    pub action: String,
    /// The kind of object acted on, e.g. `user`, `organisation`.
    pub object_type: Option<String>,
    /// The object's id.
    pub object_id: Option<String>,
    /// `success`, `denied` or `failure`.
    pub outcome: String,
    /// The HTTP request id, to join the event to server logs.
    pub request_id: Option<String>,
    /// The client address.
    pub ip: Option<String>,
    /// Further facts as canonical JSON (sorted keys, no secrets).
    pub details: String,
}

impl AuditRecord {
    /// The bytes that are hashed: every field length-prefixed in a fixed order, so no two
    /// different records share an encoding.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(128 + self.details.len());
        out.extend_from_slice(&self.seq.to_be_bytes());
        out.extend_from_slice(&self.at_ms.as_millis().to_be_bytes());
        put_int(&mut out, self.actor_user_id.map(UserId::get));
        put_int(&mut out, self.actor_org_id.map(OrganisationId::get));
        put_text(&mut out, self.actor_role.as_deref());
        put_text(&mut out, Some(&self.action));
        put_text(&mut out, self.object_type.as_deref());
        put_text(&mut out, self.object_id.as_deref());
        put_text(&mut out, Some(&self.outcome));
        put_text(&mut out, self.request_id.as_deref());
        put_text(&mut out, self.ip.as_deref());
        put_text(&mut out, Some(&self.details));
        out
    }

    /// This record's chain hash given the previous record's hash.
    pub fn chain_hash(&self, prev: &[u8; 32]) -> [u8; 32] {
        let mut hasher = Sha256::new();
        hasher.update(TAG);
        hasher.update(prev);
        hasher.update(self.canonical_bytes());
        hasher.finalize().into()
    }
}

fn put_int(out: &mut Vec<u8>, value: Option<i64>) {
    match value {
        None => out.push(0),
        Some(v) => {
            out.push(1);
            out.extend_from_slice(&v.to_be_bytes());
        }
    }
}

fn put_text(out: &mut Vec<u8>, value: Option<&str>) {
    match value {
        None => out.push(0),
        Some(text) => {
            out.push(1);
            out.extend_from_slice(&(text.len() as u64).to_be_bytes());
            out.extend_from_slice(text.as_bytes());
        }
    }
}

/// A stored event: the record plus the hashes written beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    /// The hashed content.
    pub record: AuditRecord,
    /// The previous event's hash as stored.
    pub prev_hash: [u8; 32],
    /// This event's hash as stored.
    pub hash: [u8; 32],
}

/// Why the chain is broken at a given event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakKind {
    /// The sequence number is not the previous one plus one (a deleted, inserted or moved event).
    Sequence,
    /// The stored previous hash is not the previous event's hash.
    PreviousHash,
    /// The stored hash does not match the event's content.
    ContentHash,
    /// The recorded head of the chain does not match the last event (the tail was cut or extended).
    Head,
}

/// The first broken link found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Broken {
    /// The sequence number at which the chain first fails (for `Head`, the recorded head).
    pub seq: i64,
    /// What failed there.
    pub kind: BreakKind,
}

/// Walks `events` in storage order and checks every link, then the recorded head
/// (`head_seq`, `head_hash`). Returns the number of events verified.
pub fn verify<I>(events: I, head_seq: i64, head_hash: &[u8; 32]) -> Result<i64, Broken>
where
    I: IntoIterator<Item = StoredEvent>,
{
    let mut expected_seq = 1;
    let mut prev = GENESIS;
    for event in events {
        let seq = event.record.seq;
        if seq != expected_seq {
            return Err(Broken { seq: expected_seq.min(seq), kind: BreakKind::Sequence });
        }
        if event.prev_hash != prev {
            return Err(Broken { seq, kind: BreakKind::PreviousHash });
        }
        if event.record.chain_hash(&prev) != event.hash {
            return Err(Broken { seq, kind: BreakKind::ContentHash });
        }
        prev = event.hash;
        expected_seq += 1;
    }
    let last_seq = expected_seq - 1;
    if last_seq != head_seq || &prev != head_hash {
        return Err(Broken { seq: head_seq, kind: BreakKind::Head });
    }
    Ok(last_seq)
}

/// Lower-case hex of a hash, as stored and shown.
pub fn to_hex(hash: &[u8; 32]) -> String {
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses 64 hex digits into a hash.
pub fn from_hex(hex: &str) -> Option<[u8; 32]> {
    if hex.len() != 64 || !hex.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(seq: i64, action: &str) -> AuditRecord {
        AuditRecord {
            seq,
            at_ms: Timestamp::from_millis(1_700_000_000_000 + seq),
            actor_user_id: Some(UserId::new(7)),
            actor_org_id: None,
            actor_role: Some("officer".into()),
            action: action.into(),
            object_type: Some("user".into()),
            object_id: Some(seq.to_string()),
            outcome: "success".into(),
            request_id: None,
            ip: Some("127.0.0.1".into()),
            details: "{}".into(),
        }
    }

    fn chain(n: i64) -> (Vec<StoredEvent>, [u8; 32]) {
        let mut prev = GENESIS;
        let mut events = Vec::new();
        for seq in 1..=n {
            let rec = record(seq, "auth.sign_in");
            let hash = rec.chain_hash(&prev);
            events.push(StoredEvent { record: rec, prev_hash: prev, hash });
            prev = hash;
        }
        (events, prev)
    }

    #[test]
    fn an_intact_chain_verifies() {
        let (events, head) = chain(5);
        assert_eq!(verify(events, 5, &head), Ok(5));
        assert_eq!(verify(Vec::new(), 0, &GENESIS), Ok(0));
    }

    #[test]
    fn an_edited_field_breaks_at_that_event() {
        let (mut events, head) = chain(5);
        events[2].record.details = "{\"x\":1}".into();
        assert_eq!(verify(events, 5, &head), Err(Broken { seq: 3, kind: BreakKind::ContentHash }));
    }

    #[test]
    fn a_deleted_middle_event_breaks_the_sequence() {
        let (mut events, head) = chain(5);
        events.remove(1);
        assert_eq!(verify(events, 5, &head), Err(Broken { seq: 2, kind: BreakKind::Sequence }));
    }

    #[test]
    fn swapped_events_are_detected() {
        let (mut events, head) = chain(5);
        events.swap(1, 2);
        assert_eq!(verify(events, 5, &head), Err(Broken { seq: 2, kind: BreakKind::Sequence }));
    }

    #[test]
    fn a_rehashed_event_breaks_its_successor() {
        // Someone edits event 2 and recomputes its own hash, but not the ones after it.
        let (mut events, head) = chain(4);
        events[1].record.actor_user_id = Some(UserId::new(99));
        events[1].hash = events[1].record.chain_hash(&events[1].prev_hash);
        assert_eq!(verify(events, 4, &head), Err(Broken { seq: 3, kind: BreakKind::PreviousHash }));
    }

    #[test]
    fn a_cut_tail_disagrees_with_the_head() {
        let (mut events, head) = chain(5);
        events.truncate(3);
        assert_eq!(verify(events, 5, &head), Err(Broken { seq: 5, kind: BreakKind::Head }));
    }

    #[test]
    fn optional_fields_cannot_shift_into_each_other() {
        let mut a = record(1, "x");
        let mut b = record(1, "x");
        a.object_type = Some("ab".into());
        a.object_id = None;
        b.object_type = Some("a".into());
        b.object_id = Some("b".into());
        assert_ne!(a.canonical_bytes(), b.canonical_bytes());
    }

    #[test]
    fn every_single_byte_change_in_any_event_is_detected() {
        let (events, head) = chain(6);
        for target in 0..events.len() {
            for field in 0..4 {
                let mut tampered = events.clone();
                let rec = &mut tampered[target].record;
                match field {
                    0 => rec.at_ms = rec.at_ms.plus_millis(1),
                    1 => rec.action.push('!'),
                    2 => rec.outcome = "denied".into(),
                    _ => rec.ip = None,
                }
                let result = verify(tampered, 6, &head);
                assert_eq!(result, Err(Broken { seq: target as i64 + 1, kind: BreakKind::ContentHash }));
            }
        }
    }

    #[test]
    fn hex_round_trips() {
        let (_, head) = chain(2);
        assert_eq!(from_hex(&to_hex(&head)), Some(head));
        assert_eq!(from_hex("zz"), None);
    }
}
