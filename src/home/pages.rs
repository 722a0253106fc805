//! The home page.

use crate::domain::role::Role;
use crate::i18n::*;
use crate::ui::layout::Site;
use crate::ui::messages::role_text;
use leptos::prelude::*;
use leptos_router::components::A;

/// Visitors see what Senim is; signed-in users see the tasks their role has.
#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let site = expect_context::<Site>();
    // Only traders have assessments; customs staff never call the trader-only endpoint. The role
    // is read by awaiting the site info (on the server it may not be loaded yet when this starts);
    // the source refetches when someone signs in or out.
    let issued = Resource::new(
        move || site.viewer().map(|v| v.role),
        move |_| async move {
            let trader = site.0.await.ok().and_then(|i| i.viewer).is_some_and(|v| Role::TRADER.contains(&v.role));
            if !trader {
                return Ok(Vec::new());
            }
            let (mine, _) = crate::assessment::api::list_assessments().await?;
            Ok::<_, crate::error::AppError>(
                mine.into_iter().filter(|a| a.issued_by.is_some() && a.status.editable()).collect::<Vec<_>>(),
            )
        },
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let viewer = site.0.await.ok().and_then(|i| i.viewer);
                match viewer {
                    None => view! {
                        <h1>{t!(i18n, home.visitor_title)}</h1>
                        <p class="lead">{t!(i18n, home.visitor_lead)}</p>
                        <ul class="cards">
                            <li class="card">
                                <h2><A href="/register">{t!(i18n, nav.register)}</A></h2>
                                <p>{t!(i18n, home.register_card)}</p>
                            </li>
                            <li class="card">
                                <h2><A href="/sign-in">{t!(i18n, nav.sign_in)}</A></h2>
                                <p>{t!(i18n, home.sign_in_card)}</p>
                            </li>
                        </ul>
                    }.into_any(),
                    Some(viewer) => {
                        let role = viewer.role;
                        let cards = tasks(role).into_iter().map(|task| view! {
                            <li class="card">
                                <h2><A href=task.href>{task.title}</A></h2>
                                <p>{task.text}</p>
                            </li>
                        }).collect_view();
                        let issued = issued.await.unwrap_or_default();
                        let has_issued = !issued.is_empty();
                        let issued_rows = issued.into_iter().map(|a| {
                            let title = a.title.clone();
                            let due = crate::assessment::due_text(i18n, &a);
                            view! {
                                <li>
                                    <A href=format!("/assessments/{}", a.id)>{a.template.clone()} ": " {move || title.get(crate::ui::language_of(i18n.get_locale())).to_owned()}</A>
                                    " · " {due}
                                    " · " {a.answered} " / " {a.required}
                                </li>
                            }
                        }).collect_view();
                        view! {
                            <h1>{t!(i18n, home.welcome, name = viewer.name.clone())}</h1>
                            <p class="lead">
                                {move || role_text(i18n.get_locale(), role)}
                                {viewer.org_name.clone().map(|o| format!(" · {o}"))}
                            </p>
                            {has_issued.then(|| view! {
                                <div class="panel" id="issued">
                                    <h2>{t!(i18n, home.issued_title)}</h2>
                                    <p>{t!(i18n, home.issued_lead)}</p>
                                    <ul>{issued_rows}</ul>
                                </div>
                            })}
                            {Role::TRADER.contains(&role).then(|| view! { <crate::control::NotifiedControls /> <crate::aeo::AeoNotice /> })}
                            <ul class="cards">{cards}</ul>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

struct Task {
    href: &'static str,
    title: AnyView,
    text: AnyView,
}

/// The task cards for a role: only what exists for that role.
fn tasks(role: Role) -> Vec<Task> {
    let i18n = use_i18n();
    let mut list = Vec::new();
    if Role::TRADER.contains(&role) {
        list.push(Task {
            href: "/assessments",
            title: t!(i18n, nav.assessments).into_any(),
            text: t!(i18n, home.assessments_card).into_any(),
        });
    }
    match role {
        Role::TraderAdmin => list.push(Task {
            href: "/team",
            title: t!(i18n, nav.team).into_any(),
            text: t!(i18n, home.team_admin_card).into_any(),
        }),
        Role::Preparer | Role::Signatory => list.push(Task {
            href: "/team",
            title: t!(i18n, nav.team).into_any(),
            text: t!(i18n, home.team_card).into_any(),
        }),
        Role::CustomsAdmin => {
            list.push(Task {
                href: "/customs/templates",
                title: t!(i18n, nav.templates).into_any(),
                text: t!(i18n, home.templates_card).into_any(),
            });
            list.push(Task {
                href: "/customs/staff",
                title: t!(i18n, nav.staff).into_any(),
                text: t!(i18n, home.staff_card).into_any(),
            });
            list.push(Task {
                href: "/customs/audit",
                title: t!(i18n, nav.audit).into_any(),
                text: t!(i18n, home.audit_card).into_any(),
            });
        }
        Role::Supervisor => {
            list.push(Task {
                href: "/customs/templates",
                title: t!(i18n, nav.templates).into_any(),
                text: t!(i18n, home.templates_card).into_any(),
            });
            list.push(Task {
                href: "/customs/audit",
                title: t!(i18n, nav.audit).into_any(),
                text: t!(i18n, home.audit_card).into_any(),
            });
        }
        Role::Officer => list.push(Task {
            href: "/customs/templates",
            title: t!(i18n, nav.templates).into_any(),
            text: t!(i18n, home.templates_card).into_any(),
        }),
    }
    if Role::CUSTOMS.contains(&role) {
        list.push(Task {
            href: "/customs/reviews",
            title: t!(i18n, nav.reviews).into_any(),
            text: t!(i18n, home.reviews_card).into_any(),
        });
        list.push(Task {
            href: "/customs/traders",
            title: t!(i18n, nav.traders).into_any(),
            text: t!(i18n, home.traders_card).into_any(),
        });
    }
    list.push(Task {
        href: "/account/password",
        title: t!(i18n, nav.password).into_any(),
        text: t!(i18n, home.password_card).into_any(),
    });
    list
}
