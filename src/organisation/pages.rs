//! Registration, the team page (shared with the customs staff page) and invitation acceptance.

use super::api::{
    AcceptInvitation, ChangeMemberRole, DeactivateMember, InvitationStatus, InviteMember, RegisterOrganisation,
    RevokeInvitation, TeamView, get_invitation, get_team,
};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::form::{ErrorSummary, Field, Notice, action_error};
use crate::ui::layout::ErrorPanel;
use crate::ui::messages::{error_text, role_text};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_params_map};

/// A trader organisation registers itself and its first administrator.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RegisterOrganisation>::new();
    let error = action_error(action);
    view! {
        <div class="narrow">
            <h1>{t!(i18n, register.title)}</h1>
            <p class="lead">{t!(i18n, register.lead)}</p>
            <ErrorSummary error />
            <ActionForm action attr:novalidate="true">
                <fieldset class="fieldset">
                    <legend>{t!(i18n, register.organisation)}</legend>
                    <Field name="legal_name" autocomplete="organization" required=true error>
                        {t!(i18n, register.legal_name)}
                    </Field>
                    <Field name="identifier" required=true error>
                        {t!(i18n, register.identifier)}
                    </Field>
                    <p class="hint">{t!(i18n, register.identifier_hint)}</p>
                    <Field name="contact_email" kind="email" autocomplete="email" required=true error>
                        {t!(i18n, register.contact_email)}
                    </Field>
                </fieldset>
                <fieldset class="fieldset">
                    <legend>{t!(i18n, register.administrator)}</legend>
                    <Field name="admin_name" autocomplete="name" required=true error>
                        {t!(i18n, register.admin_name)}
                    </Field>
                    <Field name="admin_email" kind="email" autocomplete="username" required=true error>
                        {t!(i18n, register.admin_email)}
                    </Field>
                    <p class="hint">{t!(i18n, auth.password_rules)}</p>
                    <Field name="password" kind="password" autocomplete="new-password" required=true error>
                        {t!(i18n, auth.password)}
                    </Field>
                    <Field name="password_confirm" kind="password" autocomplete="new-password" required=true error>
                        {t!(i18n, auth.confirm_password)}
                    </Field>
                </fieldset>
                <button type="submit" class="button">{t!(i18n, register.submit)}</button>
            </ActionForm>
        </div>
    }
}

/// The actions a team page dispatches.
#[derive(Clone, Copy)]
pub struct TeamActions {
    invite: ServerAction<InviteMember>,
    change_role: ServerAction<ChangeMemberRole>,
    deactivate: ServerAction<DeactivateMember>,
    revoke: ServerAction<RevokeInvitation>,
}

impl TeamActions {
    /// Fresh actions for one page.
    pub fn new() -> Self {
        Self {
            invite: ServerAction::new(),
            change_role: ServerAction::new(),
            deactivate: ServerAction::new(),
            revoke: ServerAction::new(),
        }
    }

    /// Changes whenever any of the actions completes, to refetch the team.
    pub fn version(&self) -> usize {
        self.invite.version().get()
            + self.change_role.version().get()
            + self.deactivate.version().get()
            + self.revoke.version().get()
    }

    fn last_error(&self) -> Signal<Option<AppError>> {
        let (a, b, c, d) = (
            action_error(self.invite),
            action_error(self.change_role),
            action_error(self.deactivate),
            action_error(self.revoke),
        );
        Signal::derive(move || a.get().or_else(|| b.get()).or_else(|| c.get()).or_else(|| d.get()))
    }
}

impl Default for TeamActions {
    fn default() -> Self {
        Self::new()
    }
}

/// A trader organisation's users and invitations.
#[component]
pub fn TeamPage() -> impl IntoView {
    let i18n = use_i18n();
    let actions = TeamActions::new();
    let team = Resource::new(move || actions.version(), |_| get_team());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match team.await {
                    Ok(team) => view! {
                        <h1>{t!(i18n, team.title)}</h1>
                        {team.org_name.clone().map(|o| view! { <p class="lead">{o}</p> })}
                        <MembersTable team actions roles=Role::TRADER />
                    }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Members, invitations and (for administrators) the forms to manage them.
#[component]
pub fn MembersTable(team: TeamView, actions: TeamActions, roles: [Role; 3]) -> impl IntoView {
    let i18n = use_i18n();
    let error = actions.last_error();
    let can_manage = team.can_manage;
    let shown_link = {
        let from_server = team.new_link.clone();
        move || actions.invite.value().get().and_then(Result::ok).or_else(|| from_server.clone())
    };
    let rows = team
        .members
        .iter()
        .cloned()
        .map(|m| {
            let status = if m.active {
                td_string!(i18n.get_locale_untracked(), team.active)
            } else {
                td_string!(i18n.get_locale_untracked(), team.deactivated)
            };
            let manage = (can_manage && m.active && !m.is_self).then(|| {
                view! {
                    <ActionForm action=actions.change_role attr:class="inline-form">
                        <input type="hidden" name="user_id" value=m.id.get() />
                        <label class="visually-hidden" for=format!("role-{}", m.id)>{t!(i18n, team.role)}</label>
                        <RoleSelect id=format!("role-{}", m.id) roles selected=m.role />
                        <button type="submit" class="button button--secondary">{t!(i18n, team.change_role)}</button>
                    </ActionForm>
                    <ActionForm action=actions.deactivate attr:class="inline-form">
                        <input type="hidden" name="user_id" value=m.id.get() />
                        <button type="submit" class="button button--warning">{t!(i18n, team.deactivate)}</button>
                    </ActionForm>
                }
            });
            view! {
                <tr class:row--inactive=!m.active>
                    <td>{m.name.clone()}</td>
                    <td>{m.email.clone()}</td>
                    <td>{move || role_text(i18n.get_locale(), m.role)}</td>
                    <td>{status}</td>
                    <td>{m.created_at.format_utc()}</td>
                    <td>{manage}</td>
                </tr>
            }
        })
        .collect_view();
    let invitations = team
        .invitations
        .iter()
        .cloned()
        .map(|inv| {
            let state = if inv.expired { td_string!(i18n.get_locale_untracked(), team.expired) } else { "" };
            view! {
                <tr>
                    <td>{inv.email.clone()}</td>
                    <td>{move || role_text(i18n.get_locale(), inv.role)}</td>
                    <td>{inv.expires_at.format_utc()} " " {state}</td>
                    <td>
                        {can_manage.then(|| view! {
                            <ActionForm action=actions.revoke attr:class="inline-form">
                                <input type="hidden" name="invitation_id" value=inv.id.get() />
                                <button type="submit" class="button button--secondary">{t!(i18n, team.revoke)}</button>
                            </ActionForm>
                        })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let has_invitations = !team.invitations.is_empty();
    view! {
        <ErrorSummary error />
        {move || shown_link().map(|link| view! {
            <Notice>
                <p>{t!(i18n, team.link_created)}</p>
                <label for="invitation-link">{t!(i18n, team.link_label)}</label>
                <input id="invitation-link" class="field__input field__input--link" readonly value=link />
            </Notice>
        })}
        <h2>{t!(i18n, team.members)}</h2>
        <table class="table">
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, team.name)}</th>
                    <th scope="col">{t!(i18n, team.email)}</th>
                    <th scope="col">{t!(i18n, team.role)}</th>
                    <th scope="col">{t!(i18n, team.status)}</th>
                    <th scope="col">{t!(i18n, team.since)}</th>
                    <th scope="col"><span class="visually-hidden">{t!(i18n, team.actions)}</span></th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        {has_invitations.then(|| view! {
            <h2>{t!(i18n, team.pending)}</h2>
            <table class="table">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, team.email)}</th>
                        <th scope="col">{t!(i18n, team.role)}</th>
                        <th scope="col">{t!(i18n, team.expires)}</th>
                        <th scope="col"><span class="visually-hidden">{t!(i18n, team.actions)}</span></th>
                    </tr>
                </thead>
                <tbody>{invitations}</tbody>
            </table>
        })}
        {can_manage.then(|| view! {
            <h2>{t!(i18n, team.invite_title)}</h2>
            <ActionForm action=actions.invite attr:class="invite-form" attr:novalidate="true">
                <Field name="email" kind="email" required=true error>{t!(i18n, team.email)}</Field>
                <div class="field">
                    <label class="field__label" for="invite-role">{t!(i18n, team.role)}</label>
                    <RoleSelect id="invite-role".to_string() roles selected=roles[1] />
                </div>
                <button type="submit" class="button">{t!(i18n, team.invite_button)}</button>
            </ActionForm>
        })}
    }
}

#[component]
fn RoleSelect(id: String, roles: [Role; 3], selected: Role) -> impl IntoView {
    let i18n = use_i18n();
    let options = roles
        .into_iter()
        .map(|r| view! { <option value=r.code() selected=r == selected>{move || role_text(i18n.get_locale(), r)}</option> })
        .collect_view();
    view! { <select class="field__select" id=id name="role">{options}</select> }
}

/// Someone opens an invitation link, sets their name and password, and is signed in.
#[component]
pub fn AcceptInvitationPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let info = Resource::new(token, get_invitation);
    let action = ServerAction::<AcceptInvitation>::new();
    let error = action_error(action);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let info = match info.await {
                    Ok(info) => info,
                    Err(error) => return view! { <ErrorPanel error /> }.into_any(),
                };
                if info.status != InvitationStatus::Open {
                    let code = if info.status == InvitationStatus::Expired {
                        crate::domain::validation::ErrorCode::InvitationExpired
                    } else {
                        crate::domain::validation::ErrorCode::InvitationUsed
                    };
                    crate::ui::set_http_status(410);
                    let err = AppError::Refused(code);
                    return view! {
                        <div class="panel panel--error" role="alert">
                            <h1>{move || error_text(i18n.get_locale(), &err)}</h1>
                            <p>{t!(i18n, invitation.ask_again)}</p>
                            <p><A href="/sign-in">{t!(i18n, nav.sign_in)}</A></p>
                        </div>
                    }.into_any();
                }
                let role = info.role;
                let org = info.org_name.clone().unwrap_or_else(|| td_string!(i18n.get_locale_untracked(), invitation.customs).to_string());
                view! {
                    <div class="narrow">
                        <h1>{t!(i18n, invitation.title)}</h1>
                        <dl class="summary">
                            <dt>{t!(i18n, invitation.organisation)}</dt><dd>{org}</dd>
                            <dt>{t!(i18n, team.email)}</dt><dd>{info.email.clone()}</dd>
                            <dt>{t!(i18n, team.role)}</dt><dd>{move || role_text(i18n.get_locale(), role)}</dd>
                        </dl>
                        <ErrorSummary error />
                        <ActionForm action attr:novalidate="true">
                            <input type="hidden" name="token" value=token() />
                            <Field name="name" autocomplete="name" required=true error>{t!(i18n, invitation.your_name)}</Field>
                            <p class="hint">{t!(i18n, auth.password_rules)}</p>
                            <Field name="password" kind="password" autocomplete="new-password" required=true error>
                                {t!(i18n, auth.password)}
                            </Field>
                            <Field name="password_confirm" kind="password" autocomplete="new-password" required=true error>
                                {t!(i18n, auth.confirm_password)}
                            </Field>
                            <button type="submit" class="button">{t!(i18n, invitation.accept)}</button>
                        </ActionForm>
                    </div>
                }.into_any()
            })}
        </Suspense>
    }
}
