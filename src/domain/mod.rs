//! Pure business rules shared by the server and the browser: typed ids, identifiers, roles, passwords,
//! validated text, languages, the audit chain, the rules of voluntary disclosures (declaration
//! numbers, lifecycle, voluntariness, exact line arithmetic, interest) and a trader's explained
//! compliance score (`compliance`) with the CSV extracts it reads from the national systems
//! (`national_csv`, on the CSV conventions of every upload in `csv`), and AEO applications (`aeo`:
//! certificate types and conditions from a versioned file, the lifecycle with its clocks and four
//! eyes, the checklist pre-filled from T2, the security check). No I/O, no clock, no randomness.

pub mod aeo;
pub mod answer;
pub mod assessment;
pub mod compliance;
pub mod control;
pub mod country;
pub mod csv;
pub mod declaration;
pub mod disclosure;
pub mod disclosure_csv;
pub mod disclosure_evidence;
pub mod disclosure_line;
pub mod disclosure_sums;
pub mod email;
pub mod evidence;
pub mod finding;
pub mod form_key;
pub mod id;
pub mod identifier;
pub mod interest;
pub mod language;
pub mod money;
pub mod national_csv;
pub mod password;
pub mod questionnaire;
pub mod revision;
pub mod role;
pub mod scoring;
pub mod text;
pub mod throttle;
pub mod time;
pub mod validation;

#[cfg(feature = "ssr")]
pub mod audit_chain;
