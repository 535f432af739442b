//! A failed sign-in as the learner reads it: what happened in words they know and what to do.
//! Raw error text (a socket error, an unreadable reply) never reaches the screen; the worker
//! writes it to the log.

use pocketfolio_client::ClientError;
use pocketfolio_core::sync::TransportError;

/// The sentence for `e`, when signing in to the centre at `address` failed.
pub fn sign_in_message(e: &ClientError, address: &str) -> String {
    match e {
        // Our own sentences, written for the learner.
        ClientError::BadAddress(_) | ClientError::WrongPassword | ClientError::NotALearner => {
            e.to_string()
        }
        // The centre's sentence for the person signing in (locked, disabled, too many tries).
        ClientError::Refused(sentence) => sentence.clone(),
        ClientError::Transport(TransportError::Offline(_)) => format!(
            "Can't reach the centre at {address}. Check the address and your connection, then try again."
        ),
        ClientError::Transport(TransportError::Unauthorized) => {
            ClientError::WrongPassword.to_string()
        }
        ClientError::Transport(TransportError::Server(_)) => format!(
            "The centre at {address} had a problem and couldn't sign you in. Try again in a few \
             minutes; if it keeps happening, tell your centre."
        ),
        // An answer no Pocketfolio centre gives: most often an address that is some other
        // web site.
        ClientError::Transport(TransportError::Rejected(_)) => format!(
            "The address {address} answered, but not as a Pocketfolio centre does. Check the \
             address with your assessor, then try again."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ADDRESS: &str = "https://centre.example.ac.uk";

    /// Raw text a learner must never see.
    const RAW: [&str; 6] = [
        "expected value",
        "os error",
        "404 Not Found",
        "error sending request",
        "unreadable reply",
        "refused with",
    ];

    fn assert_plain(message: &str) {
        for raw in RAW {
            assert!(!message.contains(raw), "raw text {raw:?} in {message:?}");
        }
    }

    #[test]
    fn unexpected_answers_are_plain_sentences_saying_what_to_do() {
        let cases = [
            ClientError::Transport(TransportError::Server(
                "an unreadable reply (error decoding response body: expected value at line 1 column 1)"
                    .into(),
            )),
            ClientError::Transport(TransportError::Rejected("404 Not Found".into())),
            ClientError::Transport(TransportError::Rejected(
                "a sign-in refused with 403 Forbidden and no reason".into(),
            )),
            ClientError::Transport(TransportError::Offline(
                "error sending request: tcp connect error: Connection refused (os error 111)"
                    .into(),
            )),
        ];
        for e in &cases {
            let message = sign_in_message(e, ADDRESS);
            assert_plain(&message);
            assert!(message.ends_with('.'), "a sentence: {message:?}");
            assert!(
                message.to_lowercase().contains("try again"),
                "says what to do: {message}"
            );
        }
    }

    #[test]
    fn refusals_say_the_centres_sentence_or_ours() {
        assert_eq!(
            sign_in_message(&ClientError::WrongPassword, ADDRESS),
            "The username or password is wrong."
        );
        assert_eq!(
            sign_in_message(
                &ClientError::Transport(TransportError::Unauthorized),
                ADDRESS
            ),
            "The username or password is wrong."
        );
        let locked = "This account is locked after too many wrong passwords; wait 60 seconds or ask an administrator to unlock it.";
        assert_eq!(
            sign_in_message(&ClientError::Refused(locked.into()), ADDRESS),
            locked
        );
        for e in [
            ClientError::NotALearner,
            ClientError::BadAddress("centre".into()),
        ] {
            assert_plain(&sign_in_message(&e, ADDRESS));
        }
    }
}
