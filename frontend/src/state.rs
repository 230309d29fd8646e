//! The app-wide state as a reducer: today the language; later the staff session.

use nobat_domain::Language;
use std::rc::Rc;
use yew::Reducible;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AppState {
    pub language: Language,
}

pub enum Action {
    SetLanguage(Language),
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            Action::SetLanguage(language) if language == self.language => self,
            Action::SetLanguage(language) => Rc::new(AppState { language }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turkmen_is_the_default() {
        assert_eq!(AppState::default().language, Language::Tk);
    }

    #[test]
    fn setting_a_language_changes_only_when_different() {
        let state = Rc::new(AppState::default());
        let same = state.clone().reduce(Action::SetLanguage(Language::Tk));
        assert!(Rc::ptr_eq(&state, &same));
        let russian = state.reduce(Action::SetLanguage(Language::Ru));
        assert_eq!(russian.language, Language::Ru);
    }
}
