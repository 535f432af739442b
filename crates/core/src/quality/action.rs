//! An action an IQA's disagreement raises for the assessor who decided: the assessor answers
//! it (what they did), and the IQA closes it or sends it back. Only those two may move it.

use super::QualityError;
use serde::{Deserialize, Serialize};

/// Where an action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionState {
    /// Waiting for the assessor.
    Open,
    /// The assessor answered; waiting for the IQA.
    Answered,
    /// The IQA is satisfied.
    Closed,
}

/// A step on an action, with who takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionEvent<'a> {
    /// The assessor says what they did.
    Answer {
        /// The answer's text.
        text: &'a str,
        /// The person answering is the assessor the action is for.
        by_assessor: bool,
    },
    /// The IQA accepts the answer.
    Close {
        /// The person closing is the sample's IQA.
        by_iqa: bool,
    },
    /// The IQA finds the answer not enough; the action is open again.
    Reopen {
        /// The person reopening is the sample's IQA.
        by_iqa: bool,
    },
}

impl ActionState {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionState::Open => "open",
            ActionState::Answered => "answered",
            ActionState::Closed => "closed",
        }
    }

    /// Reads the stored form.
    pub fn parse(text: &str) -> Option<ActionState> {
        match text {
            "open" => Some(ActionState::Open),
            "answered" => Some(ActionState::Answered),
            "closed" => Some(ActionState::Closed),
            _ => None,
        }
    }

    /// As pages show it.
    pub fn label(self) -> &'static str {
        match self {
            ActionState::Open => "Open: waiting for the assessor",
            ActionState::Answered => "Answered: waiting for the IQA",
            ActionState::Closed => "Closed",
        }
    }

    /// The state after `event`, or why it may not happen.
    pub fn apply(self, event: ActionEvent<'_>) -> Result<ActionState, QualityError> {
        let refuse = |m: &str| Err(QualityError::Action(m.to_string()));
        match (self, event) {
            (
                _,
                ActionEvent::Answer {
                    by_assessor: false, ..
                },
            ) => refuse("Only the assessor the action is for may answer it."),
            (_, ActionEvent::Close { by_iqa: false } | ActionEvent::Reopen { by_iqa: false }) => {
                refuse("Only the IQA who raised the action may close or reopen it.")
            }
            (ActionState::Open, ActionEvent::Answer { text, .. }) if text.trim().is_empty() => {
                refuse("Say what you did about the action before sending the answer.")
            }
            (ActionState::Open, ActionEvent::Answer { .. }) => Ok(ActionState::Answered),
            (ActionState::Answered, ActionEvent::Close { .. }) => Ok(ActionState::Closed),
            (ActionState::Answered, ActionEvent::Reopen { .. }) => Ok(ActionState::Open),
            (ActionState::Open, ActionEvent::Close { .. } | ActionEvent::Reopen { .. }) => {
                refuse("The assessor has not answered this action yet.")
            }
            (ActionState::Answered, ActionEvent::Answer { .. }) => {
                refuse("This action is answered already; the IQA may reopen it.")
            }
            (ActionState::Closed, _) => refuse("This action is closed."),
        }
    }

    /// True when it is still waiting for someone after its due date.
    pub fn is_overdue(self, due_ms: i64, now_ms: i64) -> bool {
        self == ActionState::Open && now_ms > due_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANSWER: ActionEvent<'static> = ActionEvent::Answer {
        text: "Re-assessed with the learner",
        by_assessor: true,
    };

    #[test]
    fn an_action_is_answered_by_its_assessor_then_closed_by_the_iqa() {
        let answered = ActionState::Open.apply(ANSWER).unwrap();
        assert_eq!(answered, ActionState::Answered);
        assert_eq!(
            answered.apply(ActionEvent::Close { by_iqa: true }),
            Ok(ActionState::Closed)
        );
        assert_eq!(
            answered.apply(ActionEvent::Reopen { by_iqa: true }),
            Ok(ActionState::Open)
        );
    }

    #[test]
    fn nobody_else_moves_an_action_and_steps_keep_their_order() {
        let wrong = ActionEvent::Answer {
            text: "x",
            by_assessor: false,
        };
        assert!(ActionState::Open.apply(wrong).is_err());
        assert!(ActionState::Answered
            .apply(ActionEvent::Close { by_iqa: false })
            .is_err());
        assert!(ActionState::Open
            .apply(ActionEvent::Close { by_iqa: true })
            .is_err());
        let empty = ActionEvent::Answer {
            text: " ",
            by_assessor: true,
        };
        assert!(ActionState::Open.apply(empty).is_err());
        assert!(ActionState::Closed.apply(ANSWER).is_err());
        assert!(ActionState::Answered.apply(ANSWER).is_err());
    }

    #[test]
    fn only_an_open_action_past_its_date_is_overdue() {
        assert!(ActionState::Open.is_overdue(10, 11));
        assert!(!ActionState::Open.is_overdue(10, 10));
        assert!(!ActionState::Answered.is_overdue(10, 11));
    }
}
