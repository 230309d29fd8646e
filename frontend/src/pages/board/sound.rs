//! The board's chime: two short tones made with the Web Audio API (no audio file). Browsers
//! keep audio off until someone interacts with the page, so the board offers "enable sound"
//! while the audio context is not running.

use std::cell::RefCell;
use std::rc::Rc;
use web_sys::{AudioContext, AudioContextState};
use yew::prelude::*;

#[derive(Clone)]
pub struct Sound {
    context: Rc<RefCell<Option<AudioContext>>>,
    running: UseStateHandle<bool>,
}

impl Sound {
    pub fn on(&self) -> bool {
        *self.running
    }

    /// Starts (or resumes) audio: call it from a click.
    pub fn enable(&self) {
        let mut context = self.context.borrow_mut();
        if context.is_none() {
            *context = AudioContext::new().ok();
        }
        if let Some(context) = context.as_ref() {
            let _ = context.resume();
        }
        self.running.set(context.is_some());
    }

    /// A ding-dong, when audio is on.
    pub fn chime(&self) {
        if let Some(context) = self.context.borrow().as_ref() {
            if context.state() == AudioContextState::Running {
                let _ = ding_dong(context);
            }
        }
    }
}

fn ding_dong(context: &AudioContext) -> Result<(), wasm_bindgen::JsValue> {
    let now = context.current_time();
    for (i, frequency) in [880.0_f32, 660.0].into_iter().enumerate() {
        let start = now + 0.4 * i as f64;
        let tone = context.create_oscillator()?;
        tone.frequency().set_value(frequency);
        let volume = context.create_gain()?;
        let gain = volume.gain();
        gain.set_value_at_time(0.0, start)?;
        gain.linear_ramp_to_value_at_time(0.35, start + 0.03)?;
        gain.exponential_ramp_to_value_at_time(0.001, start + 0.9)?;
        tone.connect_with_audio_node(&volume)?;
        volume.connect_with_audio_node(&context.destination())?;
        tone.start_with_when(start)?;
        tone.stop_with_when(start + 0.95)?;
    }
    Ok(())
}

/// The board's sound: on at once where the browser allows audio without a click (a kiosk set
/// up for it), otherwise after "enable sound".
#[hook]
pub fn use_sound() -> Sound {
    let context = use_mut_ref(|| None::<AudioContext>);
    let running = use_state(|| false);
    {
        let (context, running) = (context.clone(), running.clone());
        use_effect_with((), move |_| {
            // Running at once only where audio may start without a click (a kiosk set up so);
            // elsewhere it waits, suspended, for "enable sound".
            if let Ok(audio) = AudioContext::new() {
                running.set(audio.state() == AudioContextState::Running);
                *context.borrow_mut() = Some(audio);
            }
        });
    }
    Sound { context, running }
}
