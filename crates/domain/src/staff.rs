//! Staff accounts: roles and what each may do where, the rules for usernames and passwords, and
//! the shape of an audit-log entry.
//!
//! Roles (DESIGN.md §5, issue 6): `admin` does everything everywhere; `branch_head` runs their
//! branches (settings, staff, reports, the queue, late check-in overrides); `operator` runs their
//! branch's queue; `editor` edits the multimedia content, which belongs to no branch.

use crate::{Language, Localized};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

// ---------------------------------------------------------------------------------------------
// Roles and permissions

/// What a staff account is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    BranchHead,
    Operator,
    Editor,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::BranchHead, Role::Operator, Role::Editor];

    /// The snake_case code, as on the wire and in the database.
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::BranchHead => "branch_head",
            Role::Operator => "operator",
            Role::Editor => "editor",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The role's name in the staff console.
    pub fn label(self, language: Language) -> String {
        let text = match self {
            Role::Admin => Localized::new("Administrator", "Администратор", "Administrator"),
            Role::BranchHead => Localized::new("Bölümiň müdiri", "Начальник отдела", "Branch head"),
            Role::Operator => Localized::new("Operator", "Оператор", "Operator"),
            Role::Editor => Localized::new("Redaktor", "Редактор", "Content editor"),
        };
        text.get(language).to_owned()
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Something a staff endpoint needs the caller to be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// A branch's opening plan, counters, closures, booking-window settings.
    ManageBranchSettings,
    /// Staff accounts of a branch (see also [`StaffScope::can_manage`]).
    ManageStaff,
    ViewReports,
    /// Check in, call, recall, serve, mark no-shows, add walk-ins.
    RunQueue,
    /// Check in a citizen whose slot has already started (with a written reason).
    OverrideLateCheckIn,
    /// Photos, videos and instructions (not tied to a branch).
    EditContent,
    /// What belongs to no single branch or to all of them: creating branches, services,
    /// national holidays.
    ManageAnyBranch,
    /// Passport applications to be collected at the branch: see them, their photos, and move
    /// them through their statuses.
    HandleApplications,
}

impl Permission {
    pub const ALL: [Permission; 8] = [
        Permission::ManageBranchSettings,
        Permission::ManageStaff,
        Permission::ViewReports,
        Permission::RunQueue,
        Permission::OverrideLateCheckIn,
        Permission::EditContent,
        Permission::ManageAnyBranch,
        Permission::HandleApplications,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Permission::ManageBranchSettings => "manage_branch_settings",
            Permission::ManageStaff => "manage_staff",
            Permission::ViewReports => "view_reports",
            Permission::RunQueue => "run_queue",
            Permission::OverrideLateCheckIn => "override_late_check_in",
            Permission::EditContent => "edit_content",
            Permission::ManageAnyBranch => "manage_any_branch",
            Permission::HandleApplications => "handle_applications",
        }
    }

    pub fn parse(code: &str) -> Option<Permission> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A staff account's role and the branches (by code) it works in. An admin's branches are
/// ignored: an admin works everywhere (store none). An editor's too: content has no branch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "role": "operator", "branches": ["ashgabat-1"]
})))]
pub struct StaffScope {
    pub role: Role,
    pub branches: Vec<String>,
}

impl StaffScope {
    pub fn new(role: Role, branches: impl IntoIterator<Item = impl Into<String>>) -> StaffScope {
        StaffScope {
            role,
            branches: branches.into_iter().map(Into::into).collect(),
        }
    }

    /// Whether this account may do `permission` in `branch`. `branch` is `None` for an action
    /// that concerns no single branch (e.g. a report over every branch): then only admins pass
    /// for branch work, and editors for content.
    pub fn allows(&self, permission: Permission, branch: Option<&str>) -> bool {
        use Permission::*;
        match self.role {
            Role::Admin => true,
            Role::Editor => permission == EditContent,
            Role::BranchHead => {
                matches!(
                    permission,
                    ManageBranchSettings
                        | ManageStaff
                        | ViewReports
                        | RunQueue
                        | OverrideLateCheckIn
                        | HandleApplications
                ) && self.works_in(branch)
            }
            Role::Operator => {
                matches!(permission, RunQueue | HandleApplications) && self.works_in(branch)
            }
        }
    }

    /// Whether the account works in every branch (an admin).
    pub fn all_branches(&self) -> bool {
        self.role == Role::Admin
    }

    fn works_in(&self, branch: Option<&str>) -> bool {
        branch.is_some_and(|branch| self.branches.iter().any(|own| own == branch))
    }

    /// Whether this account may create, change or disable an account with scope `other`: an
    /// admin any account; a branch head only operators, and only in branches that are all the
    /// head's own (so nobody grants more than they hold).
    pub fn can_manage(&self, other: &StaffScope) -> bool {
        match self.role {
            Role::Admin => true,
            Role::BranchHead => {
                other.role == Role::Operator
                    && !other.branches.is_empty()
                    && other.branches.iter().all(|b| self.works_in(Some(b)))
            }
            Role::Operator | Role::Editor => false,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Usernames and passwords

/// A staff login name: 3 to 32 characters of lower-case ASCII letters, digits, `.`, `-` and
/// `_`, starting with a letter or a digit. Input is trimmed and lower-cased first, so `Merdan`
/// and `merdan` are one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Username(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsernameError {
    #[error("must be {min} to {max} characters long")]
    Length { min: usize, max: usize },
    #[error("{0:?} is not allowed: use lower-case letters a-z, digits, '.', '-' and '_'")]
    Character(char),
    #[error("must start with a letter or a digit")]
    Start,
}

impl Username {
    pub const MIN_CHARS: usize = 3;
    pub const MAX_CHARS: usize = 32;

    pub fn parse(raw: &str) -> Result<Username, UsernameError> {
        let name = raw.trim().to_ascii_lowercase();
        let (min, max) = (Self::MIN_CHARS, Self::MAX_CHARS);
        if let Some(bad) = name.chars().find(|c| {
            !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
        }) {
            return Err(UsernameError::Character(bad));
        }
        if !(min..=max).contains(&name.len()) {
            return Err(UsernameError::Length { min, max });
        }
        if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return Err(UsernameError::Start);
        }
        Ok(Username(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Username {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Username::parse(&raw).map_err(serde::de::Error::custom)
    }
}

pub const PASSWORD_MIN_CHARS: usize = 12;
/// Long enough for any passphrase, short enough that hashing it is no denial of service.
pub const PASSWORD_MAX_CHARS: usize = 128;

/// Fragments that make a password easy to guess whatever surrounds them.
const COMMON_FRAGMENTS: [&str; 8] = [
    "password",
    "parol",
    "пароль",
    "qwerty",
    "123456",
    "letmein",
    "nobat",
    "admin123",
];

/// What is wrong with a new staff password for `username`, in English; empty when it is
/// acceptable. Rules: 12 to 128 characters; no control characters; no space at either end; not
/// containing the username; at least two kinds of characters (lower case, upper case, digits,
/// others); at least 5 different characters; none of a few well-known fragments.
pub fn password_problems(password: &str, username: &str) -> Vec<&'static str> {
    let mut problems = Vec::new();
    let length = password.chars().count();
    if length < PASSWORD_MIN_CHARS {
        problems.push("must be at least 12 characters long");
    }
    if length > PASSWORD_MAX_CHARS {
        problems.push("must be at most 128 characters long");
    }
    if password.chars().any(char::is_control) {
        problems.push("must not contain control characters");
    }
    if password.starts_with(char::is_whitespace) || password.ends_with(char::is_whitespace) {
        problems.push("must not start or end with a space");
    }
    let lower = password.to_lowercase();
    let username = username.trim().to_lowercase();
    if !username.is_empty() && lower.contains(&username) {
        problems.push("must not contain the username");
    }
    let kinds = [
        password.chars().any(char::is_lowercase),
        password.chars().any(char::is_uppercase),
        password.chars().any(char::is_numeric),
        password
            .chars()
            .any(|c| !c.is_lowercase() && !c.is_uppercase() && !c.is_numeric()),
    ];
    if kinds.iter().filter(|&&kind| kind).count() < 2 {
        problems.push(
            "must mix at least two kinds of characters: lower case, upper case, digits, symbols",
        );
    }
    if password.chars().collect::<BTreeSet<_>>().len() < 5 {
        problems.push("must use more than a few different characters");
    }
    if COMMON_FRAGMENTS
        .iter()
        .any(|fragment| lower.contains(fragment))
    {
        problems.push("must not contain a well-known password");
    }
    problems
}

// ---------------------------------------------------------------------------------------------
// Audit log

/// One staff action that changed a booking or a setting, as the audit log keeps it: who, what,
/// on what, and the values before and after (`null` when the thing did not exist before, or no
/// longer exists after). The time is the log row's own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "actor": "merdan", "action": "branch.update", "target": "branch:ashgabat-1",
    "before": {"max_in_hall": 20}, "after": {"max_in_hall": 12}
})))]
pub struct AuditChange {
    /// The username of who did it.
    pub actor: String,
    /// What was done, e.g. `check_in.override`, `branch.update`.
    pub action: String,
    /// What it was done to, e.g. `booking:AG7-K3Q-9XF`, `branch:ashgabat-1`.
    pub target: String,
    pub before: serde_json::Value,
    pub after: serde_json::Value,
}

impl AuditChange {
    pub fn new(
        actor: impl Into<String>,
        action: impl Into<String>,
        target: impl Into<String>,
        before: serde_json::Value,
        after: serde_json::Value,
    ) -> AuditChange {
        AuditChange {
            actor: actor.into(),
            action: action.into(),
            target: target.into(),
            before,
            after,
        }
    }

    /// The top-level fields whose values differ between `before` and `after`, sorted (all of
    /// them on a creation or a deletion). Empty when neither side is a JSON object.
    pub fn changed_fields(&self) -> Vec<String> {
        let empty = serde_json::Map::new();
        let before = self.before.as_object().unwrap_or(&empty);
        let after = self.after.as_object().unwrap_or(&empty);
        before
            .keys()
            .chain(after.keys())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .filter(|key| before.get(*key) != after.get(*key))
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn roles_have_snake_case_codes() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(role));
            assert_eq!(
                serde_json::to_string(&role).unwrap(),
                format!("\"{}\"", role.code())
            );
            for language in Language::ALL {
                assert!(!role.label(language).is_empty());
            }
        }
        assert_eq!(Role::BranchHead.code(), "branch_head");
        assert_eq!(Role::parse("root"), None);
        assert_eq!(Role::parse("Admin"), None);
        assert_eq!(Role::BranchHead.label(Language::Tk), "Bölümiň müdiri");
        for permission in Permission::ALL {
            assert_eq!(Permission::parse(permission.code()), Some(permission));
        }
    }

    /// Every role × every permission × own branch, another branch, no branch.
    #[test]
    fn permissions_by_role_and_branch() {
        use Permission::*;
        const OWN: Option<&str> = Some("ashgabat-1");
        const OTHER: Option<&str> = Some("mary");
        const NONE: Option<&str> = None;
        // (role, permission) → allowed in (own branch, other branch, no branch).
        let table: [(Role, Permission, [bool; 3]); 32] = [
            (Role::Admin, ManageBranchSettings, [true, true, true]),
            (Role::Admin, ManageStaff, [true, true, true]),
            (Role::Admin, ViewReports, [true, true, true]),
            (Role::Admin, RunQueue, [true, true, true]),
            (Role::Admin, OverrideLateCheckIn, [true, true, true]),
            (Role::Admin, EditContent, [true, true, true]),
            (Role::Admin, ManageAnyBranch, [true, true, true]),
            (Role::Admin, HandleApplications, [true, true, true]),
            (Role::BranchHead, ManageBranchSettings, [true, false, false]),
            (Role::BranchHead, ManageStaff, [true, false, false]),
            (Role::BranchHead, ViewReports, [true, false, false]),
            (Role::BranchHead, RunQueue, [true, false, false]),
            (Role::BranchHead, OverrideLateCheckIn, [true, false, false]),
            (Role::BranchHead, EditContent, [false, false, false]),
            (Role::BranchHead, ManageAnyBranch, [false, false, false]),
            (Role::BranchHead, HandleApplications, [true, false, false]),
            (Role::Operator, ManageBranchSettings, [false, false, false]),
            (Role::Operator, ManageStaff, [false, false, false]),
            (Role::Operator, ViewReports, [false, false, false]),
            (Role::Operator, RunQueue, [true, false, false]),
            (Role::Operator, OverrideLateCheckIn, [false, false, false]),
            (Role::Operator, EditContent, [false, false, false]),
            (Role::Operator, ManageAnyBranch, [false, false, false]),
            (Role::Operator, HandleApplications, [true, false, false]),
            (Role::Editor, ManageBranchSettings, [false, false, false]),
            (Role::Editor, ManageStaff, [false, false, false]),
            (Role::Editor, ViewReports, [false, false, false]),
            (Role::Editor, RunQueue, [false, false, false]),
            (Role::Editor, OverrideLateCheckIn, [false, false, false]),
            (Role::Editor, EditContent, [true, true, true]),
            (Role::Editor, ManageAnyBranch, [false, false, false]),
            (Role::Editor, HandleApplications, [false, false, false]),
        ];
        // The table covers every pair exactly once.
        for role in Role::ALL {
            for permission in Permission::ALL {
                let rows = table
                    .iter()
                    .filter(|(r, p, _)| *r == role && *p == permission)
                    .count();
                assert_eq!(rows, 1, "{role} {permission}");
            }
        }
        for (role, permission, [own, other, none]) in table {
            // An admin's branch list does not matter; others work in `ashgabat-1` only.
            let branches = if role == Role::Admin {
                vec![]
            } else {
                vec!["ashgabat-1"]
            };
            let scope = StaffScope::new(role, branches);
            assert_eq!(
                scope.allows(permission, OWN),
                own,
                "{role} {permission} own"
            );
            assert_eq!(
                scope.allows(permission, OTHER),
                other,
                "{role} {permission} other"
            );
            assert_eq!(
                scope.allows(permission, NONE),
                none,
                "{role} {permission} none"
            );
        }
    }

    #[test]
    fn staff_of_several_branches_and_of_none() {
        let head = StaffScope::new(Role::BranchHead, ["ashgabat-1", "ashgabat-2"]);
        assert!(head.allows(Permission::ViewReports, Some("ashgabat-2")));
        assert!(!head.allows(Permission::ViewReports, Some("ashgabat")));
        assert!(!head.all_branches());
        let nowhere = StaffScope::new(Role::Operator, Vec::<String>::new());
        assert!(!nowhere.allows(Permission::RunQueue, Some("ashgabat-1")));
        assert!(!nowhere.allows(Permission::RunQueue, Some("")));
        assert!(StaffScope::new(Role::Admin, Vec::<String>::new()).all_branches());
    }

    #[test]
    fn nobody_grants_more_than_they_hold() {
        let admin = StaffScope::new(Role::Admin, Vec::<String>::new());
        let head = StaffScope::new(Role::BranchHead, ["ashgabat-1", "ashgabat-2"]);
        let operator =
            |branches: &[&str]| StaffScope::new(Role::Operator, branches.iter().copied());

        assert!(head.can_manage(&operator(&["ashgabat-1"])));
        assert!(head.can_manage(&operator(&["ashgabat-1", "ashgabat-2"])));
        assert!(!head.can_manage(&operator(&["ashgabat-1", "mary"])));
        assert!(!head.can_manage(&operator(&[])));
        assert!(!head.can_manage(&StaffScope::new(Role::BranchHead, ["ashgabat-1"])));
        assert!(!head.can_manage(&StaffScope::new(Role::Editor, ["ashgabat-1"])));
        assert!(!head.can_manage(&admin));
        for role in Role::ALL {
            assert!(admin.can_manage(&StaffScope::new(role, ["mary"])));
        }
        let op = operator(&["ashgabat-1"]);
        assert!(!op.can_manage(&operator(&["ashgabat-1"])));
        assert!(!StaffScope::new(Role::Editor, Vec::<String>::new()).can_manage(&op));
    }

    #[test]
    fn scopes_serialize_plainly() {
        let scope = StaffScope::new(Role::BranchHead, ["mary"]);
        let json = serde_json::to_value(&scope).unwrap();
        assert_eq!(json, json!({"role": "branch_head", "branches": ["mary"]}));
        assert_eq!(serde_json::from_value::<StaffScope>(json).unwrap(), scope);
    }

    // --- usernames

    #[test]
    fn usernames() {
        assert_eq!(Username::parse("merdan").unwrap().as_str(), "merdan");
        assert_eq!(
            Username::parse("  Merdan.Amanow ").unwrap().as_str(),
            "merdan.amanow"
        );
        assert!(Username::parse("op_1").is_ok());
        assert!(Username::parse("1st-shift").is_ok());
        assert!(Username::parse("abc").is_ok());
        assert!(Username::parse(&"a".repeat(32)).is_ok());
        let length = UsernameError::Length { min: 3, max: 32 };
        assert_eq!(Username::parse("ab"), Err(length.clone()));
        assert_eq!(Username::parse(""), Err(length.clone()));
        assert_eq!(Username::parse(&"a".repeat(33)), Err(length));
        assert_eq!(Username::parse("aýna"), Err(UsernameError::Character('ý')));
        assert_eq!(
            Username::parse("mer dan"),
            Err(UsernameError::Character(' '))
        );
        assert_eq!(
            Username::parse("a@b.tm"),
            Err(UsernameError::Character('@'))
        );
        assert_eq!(Username::parse(".merdan"), Err(UsernameError::Start));
        assert_eq!(Username::parse("_ops"), Err(UsernameError::Start));
        assert_eq!(
            UsernameError::Start.to_string(),
            "must start with a letter or a digit"
        );
    }

    #[test]
    fn usernames_travel_as_strings() {
        let name = Username::parse("merdan").unwrap();
        assert_eq!(serde_json::to_string(&name).unwrap(), "\"merdan\"");
        assert_eq!(
            serde_json::from_str::<Username>("\"Merdan\"").unwrap(),
            name
        );
        assert!(serde_json::from_str::<Username>("\"m\"").is_err());
    }

    // --- passwords

    #[test]
    fn good_passwords_have_no_problems() {
        for password in [
            "Gök-Depe-1881!",
            "arkadag şäheri 2026",
            "Ýaşyl Gök Ýyldyz",
            "correct horse battery staple 7",
            "tüweleme-7-Arzuw",
        ] {
            assert_eq!(
                password_problems(password, "merdan"),
                Vec::<&str>::new(),
                "{password}"
            );
        }
    }

    #[test]
    fn each_rule_has_its_problem() {
        let problems = |p: &str| password_problems(p, "merdan");
        assert_eq!(
            problems("Short-1a"),
            ["must be at least 12 characters long"]
        );
        assert_eq!(
            problems(&format!("Ab1{}", "xyz".repeat(50))),
            ["must be at most 128 characters long"]
        );
        assert_eq!(
            problems("Gök-Depe-1881\u{7}"),
            ["must not contain control characters"]
        );
        assert_eq!(
            problems(" Gök-Depe-1881"),
            ["must not start or end with a space"]
        );
        assert_eq!(
            problems("Gök-Depe-1881 "),
            ["must not start or end with a space"]
        );
        assert_eq!(
            problems("Merdan-Gök-1881"),
            ["must not contain the username"]
        );
        assert_eq!(
            problems("gökdepegalasy"),
            ["must mix at least two kinds of characters: lower case, upper case, digits, symbols"]
        );
        assert_eq!(
            problems("aaaabbbb1111"),
            ["must use more than a few different characters"]
        );
        assert_eq!(
            problems("MyPassword-2026"),
            ["must not contain a well-known password"]
        );
        assert_eq!(
            problems("Nobat-Gök-1881"),
            ["must not contain a well-known password"]
        );
        // Several at once, in a fixed order.
        assert_eq!(
            problems("aaaa"),
            [
                "must be at least 12 characters long",
                "must mix at least two kinds of characters: lower case, upper case, digits, symbols",
                "must use more than a few different characters",
            ]
        );
        // An empty username matches nothing.
        assert!(password_problems("Gök-Depe-1881", " ").is_empty());
        // Length counts characters, not bytes: twelve Turkmen letters and digits are enough.
        assert!(password_problems("Şäşüýžň1234ç", "merdan").is_empty());
    }

    // --- audit

    #[test]
    fn audit_changes_name_the_fields_that_changed() {
        let change = AuditChange::new(
            "merdan",
            "branch.update",
            "branch:ashgabat-1",
            json!({"max_in_hall": 20, "phone": "+993 12 123456", "counters": 4}),
            json!({"max_in_hall": 12, "phone": "+993 12 123456", "open_saturday": true}),
        );
        assert_eq!(
            change.changed_fields(),
            ["counters", "max_in_hall", "open_saturday"]
        );
        let created = AuditChange::new(
            "a",
            "staff.create",
            "staff:op1",
            json!(null),
            json!({"role": "operator"}),
        );
        assert_eq!(created.changed_fields(), ["role"]);
        let scalar = AuditChange::new("a", "x", "y", json!(1), json!(2));
        assert!(scalar.changed_fields().is_empty());
        let json = serde_json::to_value(&change).unwrap();
        assert_eq!(json["actor"], "merdan");
        assert_eq!(json["before"]["max_in_hall"], 20);
        assert_eq!(serde_json::from_value::<AuditChange>(json).unwrap(), change);
    }

    proptest! {
        #[test]
        fn username_parse_never_panics_and_is_idempotent(raw in ".{0,40}") {
            if let Ok(name) = Username::parse(&raw) {
                prop_assert_eq!(Username::parse(name.as_str()), Ok(name.clone()));
                prop_assert!((3..=32).contains(&name.as_str().len()));
            }
        }

        #[test]
        fn password_problems_never_panic(password in ".{0,140}", username in ".{0,10}") {
            let problems = password_problems(&password, &username);
            if password.chars().count() < PASSWORD_MIN_CHARS {
                prop_assert!(!problems.is_empty());
            }
        }

        #[test]
        fn only_admins_act_outside_their_branches(role in 0usize..4, permission in 0usize..8) {
            let scope = StaffScope::new(Role::ALL[role], ["ashgabat-1"]);
            let permission = Permission::ALL[permission];
            if scope.allows(permission, Some("mary")) {
                prop_assert!(scope.role == Role::Admin || permission == Permission::EditContent);
            }
        }
    }
}
