//! Countries as ISO 3166-1 alpha-2 codes (origin of goods on disclosure lines).

use super::validation::ErrorCode;

/// Every officially assigned ISO 3166-1 alpha-2 code, sorted (249 codes).
const CODES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS \
BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK \
FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM \
JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS \
MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW \
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM \
US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// Reads a country code: two letters, any case, that ISO 3166-1 assigns; returned in capitals.
pub fn parse(raw: &str) -> Result<String, ErrorCode> {
    let code = raw.trim().to_ascii_uppercase();
    if code.is_empty() {
        return Err(ErrorCode::Required);
    }
    let known = code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()) && CODES.split(' ').any(|c| c == code);
    if known { Ok(code) } else { Err(ErrorCode::CountryCode) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_the_assigned_codes_only() {
        assert_eq!(CODES.split(' ').count(), 249);
        assert!(CODES.split(' ').is_sorted());
        assert_eq!(parse(" cn "), Ok("CN".into()));
        assert_eq!(parse("KZ"), Ok("KZ".into()));
        assert_eq!(parse(""), Err(ErrorCode::Required));
        for bad in ["XX", "EU", "CHN", "K", "К3", "U S"] {
            assert_eq!(parse(bad), Err(ErrorCode::CountryCode), "{bad}");
        }
    }
}
