//! The demo data on real databases: organisations, people and the seed states of §7.6.

use crate::testing::TestApp;
use sqlx::Row;

#[tokio::test]
async fn the_demo_loads_reviewed_waiting_started_and_issued_assessments() {
    for app in TestApp::each_backend().await {
        super::load(&app.state, false).await.unwrap_or_else(|e| panic!("{}: {e:?}", app.backend));
        let rows = sqlx::query(
            "SELECT o.identifier, t.code, a.status, a.score_bp, a.due_at FROM assessments a \
             JOIN organisations o ON o.id = a.organisation_id JOIN templates t ON t.id = a.template_id \
             ORDER BY o.identifier, t.code",
        )
        .fetch_all(&app.state.db.pool)
        .await
        .expect("assessments");
        let states: Vec<(String, String, String, Option<i64>, bool)> = rows
            .iter()
            .map(|r| {
                (
                    r.get("identifier"),
                    r.get("code"),
                    r.get("status"),
                    r.get("score_bp"),
                    r.get::<Option<i64>, _>("due_at").is_some(),
                )
            })
            .collect();
        let shape: Vec<(&str, &str, &str, bool)> = states
            .iter()
            .map(|(o, c, s, score, due)| (o.as_str(), c.as_str(), s.as_str(), score.is_some() || *due))
            .collect();
        assert_eq!(
            shape,
            [
                ("990940000105", "T1", "reviewed", true),
                ("990940000105", "T2", "submitted", false),
                ("990940000204", "T1", "reviewed", true),
                ("990940000303", "T2", "submitted", false),
                ("990940000402", "T1", "reviewed", true),
                ("990940000501", "T1", "submitted", false),
                ("990940000600", "T3", "draft", true),
            ],
            "{}",
            app.backend
        );
        // Steppe's answers are better than KazAgro's, whose origin answer was rejected.
        let score = |bin: &str| states.iter().find(|s| s.0 == bin && s.1 == "T1").and_then(|s| s.3).expect("score");
        assert!(score("990940000105") > score("990940000204"), "{states:?}");
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM answer_reviews WHERE verification = 'rejected' AND assessment_id > $1", 0)
                .await,
            1
        );
        // The demo disclosures: Steppe's 14 royalty lines accepted, paid and corrected (KDT), KazAgro's three lines with
        // the one named in the notified document request prompted, Nur Pharma's draft.
        let disclosures = sqlx::query(
            "SELECT o.identifier, d.status, d.kind, COUNT(l.id) AS lines, \
               CAST(SUM(CASE WHEN l.voluntariness = 'prompted' THEN 1 ELSE 0 END) AS BIGINT) AS prompted \
             FROM disclosures d JOIN organisations o ON o.id = d.organisation_id \
             JOIN disclosure_lines l ON l.disclosure_id = d.id \
             GROUP BY o.identifier, d.status, d.kind ORDER BY o.identifier",
        )
        .fetch_all(&app.state.db.pool)
        .await
        .expect("disclosures");
        let disclosures: Vec<(String, String, String, i64, i64)> = disclosures
            .iter()
            .map(|r| (r.get("identifier"), r.get("status"), r.get("kind"), r.get("lines"), r.get("prompted")))
            .collect();
        assert_eq!(
            disclosures,
            [
                ("990940000105".into(), "kdt_confirmed".into(), "underpayment".into(), 14, 0),
                ("990940000204".into(), "submitted".into(), "underpayment".into(), 3, 1),
                ("990940000402".into(), "draft".into(), "non_monetary".into(), 2, 0),
            ],
            "{}",
            app.backend
        );
        // Steppe's is settled: every line accepted, an amount due of the differences plus interest,
        // the payment reported and confirmed, the KDT recorded.
        let settled = sqlx::query(
            "SELECT d.outcome, d.amount_due, d.interest_due, d.payment_reference, d.kdt_reference, \
               (SELECT COUNT(*) FROM disclosure_line_decisions x WHERE x.disclosure_id = d.id \
                  AND x.decision = 'accepted') AS accepted, \
               CAST((SELECT SUM(l.difference) FROM disclosure_lines l WHERE l.disclosure_id = d.id) AS BIGINT) AS difference \
             FROM disclosures d WHERE d.status = 'kdt_confirmed'",
        )
        .fetch_one(&app.state.db.pool)
        .await
        .expect("Steppe's settled disclosure");
        assert_eq!(settled.get::<String, _>("outcome"), "accepted_voluntary", "{}", app.backend);
        assert_eq!(settled.get::<i64, _>("accepted"), 14, "{}", app.backend);
        let (due, interest, difference): (i64, i64, i64) =
            (settled.get("amount_due"), settled.get("interest_due"), settled.get("difference"));
        assert!(interest > 0 && difference > 0, "{}: {difference} {interest}", app.backend);
        assert_eq!(due, difference + interest, "{}", app.backend);
        assert_eq!(settled.get::<String, _>("payment_reference"), "PP-0004417");
        assert_eq!(settled.get::<String, _>("kdt_reference"), "50101010/KDT/0000187");
        let receipts = crate::disclosure::service::verify_receipts(&app.state.db.pool).await.expect("receipts");
        assert_eq!((receipts.checked, receipts.mismatched.len()), (2, 0), "{}", app.backend);
        // The scores (§7.6): every trader scored and snapshotted; Shymkent Textile gated to tier E by its
        // overdue debt; KazAgro below Steppe with its origin finding; Steppe's accepted disclosure a bonus.
        let scores = sqlx::query(
            "SELECT o.identifier, s.published_tier, s.raw_tier, s.composite_bp, s.gates, s.reasons FROM trader_scores s \
             JOIN organisations o ON o.id = s.organisation_id ORDER BY o.identifier",
        )
        .fetch_all(&app.state.db.pool)
        .await
        .expect("scores");
        let scores: Vec<(String, String, i64, String, String)> = scores
            .iter()
            .map(|r| {
                (r.get("identifier"), r.get("published_tier"), r.get("composite_bp"), r.get("gates"), r.get("reasons"))
            })
            .collect();
        assert_eq!(scores.len(), 6, "{}: {scores:?}", app.backend);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM score_snapshots WHERE month > $1", 0).await, 6, "{}", app.backend);
        let of = |bin: &str| scores.iter().find(|s| s.0 == bin).cloned().expect("scored");
        let shymkent = of("990940000600");
        assert_eq!((shymkent.1.as_str(), shymkent.3.as_str()), ("E", "G1"), "{}: {shymkent:?}", app.backend);
        // Nur Pharma, eight months trading, its review verifying 7 of 18 answers: raw tier A, capped
        // at B by its confidence.
        let nur = sqlx::query(
            "SELECT s.published_tier, s.raw_tier, s.composite_bp, s.confidence_ppm FROM trader_scores s \
             JOIN organisations o ON o.id = s.organisation_id WHERE o.identifier = '990940000402'",
        )
        .fetch_one(&app.state.db.pool)
        .await
        .expect("Nur Pharma's score");
        let nur: (String, String, i64, i64) =
            (nur.get("published_tier"), nur.get("raw_tier"), nur.get("composite_bp"), nur.get("confidence_ppm"));
        assert!(nur.2 >= 8500 && nur.3 < 600_000, "{}: {nur:?}", app.backend);
        assert_eq!(nur.1, "B", "{}: capped at B by low confidence: {nur:?}", app.backend);
        let (steppe, kazagro) = (of("990940000105"), of("990940000204"));
        assert!(steppe.2 > kazagro.2, "{}: {steppe:?} {kazagro:?}", app.backend);
        assert!(kazagro.4.contains("F-SEV"), "{}: {kazagro:?}", app.backend);
        // AEO (§7.6): Caspian Pipe's type 1 application under examination with its answered request
        // and planned visit; Steppe Electronics' certificate in force and in the public register,
        // whose score carries the AEO bonus.
        let applications = sqlx::query(
            "SELECT o.identifier, a.status, \
               (SELECT COUNT(*) FROM aeo_requests r WHERE r.application_id = a.id AND r.answer IS NOT NULL) AS answered, \
               (SELECT COUNT(*) FROM aeo_site_visits v WHERE v.application_id = a.id AND v.report IS NULL) AS planned \
             FROM aeo_applications a JOIN organisations o ON o.id = a.organisation_id ORDER BY o.identifier",
        )
        .fetch_all(&app.state.db.pool)
        .await
        .expect("AEO applications");
        let applications: Vec<(String, String, i64, i64)> = applications
            .iter()
            .map(|r| (r.get("identifier"), r.get("status"), r.get("answered"), r.get("planned")))
            .collect();
        assert_eq!(
            applications,
            [("990940000105".into(), "active".into(), 0, 0), ("990940000303".into(), "under_examination".into(), 1, 1),],
            "{}",
            app.backend
        );
        let register = crate::aeo::service::register(&app.state, "").await.expect("register");
        assert_eq!(register.len(), 1, "{}: {register:?}", app.backend);
        assert_eq!(register[0].identifier, "990940000105", "{}", app.backend);
        let steppe_org =
            app.scalar("SELECT id FROM organisations WHERE identifier = '990940000105' AND id > $1", 0).await;
        let officer = app.user(None, crate::domain::role::Role::Officer, "officer@demo-test.kz").await;
        let officer = app.session_for(officer).await;
        let page = app.page(&format!("/customs/traders/{steppe_org}"), Some(&officer)).await;
        assert!(page.body.contains("data-rule=\"AEO-BONUS\""), "{}: Steppe's score has the AEO bonus", app.backend);
        assert!(page.body.contains("id=\"trader-aeo\""), "{}", app.backend);
        // Loading twice is refused rather than duplicating anything.
        assert!(super::load(&app.state, false).await.is_err());
        assert!(super::load(&app.state, true).await.is_ok(), "--if-empty leaves a loaded database alone");
    }
}
