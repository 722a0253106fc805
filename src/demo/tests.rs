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
                ("990940000204", "T1", "reviewed", true),
                ("990940000303", "T2", "draft", false),
                ("990940000402", "T1", "submitted", false),
                ("990940000600", "T3", "draft", true),
            ],
            "{}",
            app.backend
        );
        // Steppe's answers are better than KazAgro's, whose origin answer was rejected.
        let score = |i: usize| states[i].3.expect("score");
        assert!(score(0) > score(1), "{states:?}");
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM answer_reviews WHERE verification = 'rejected' AND assessment_id > $1", 0)
                .await,
            1
        );
        // Loading twice is refused rather than duplicating anything.
        assert!(super::load(&app.state, false).await.is_err());
        assert!(super::load(&app.state, true).await.is_ok(), "--if-empty leaves a loaded database alone");
    }
}
