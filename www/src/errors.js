// Turns the package's typed errors into sentences for people. Match on `code` (Cognito's exception name or the
// package's own code), never on the message text, which is not a stable API.

const GENERIC = 'Something went wrong. Please try again.';

const BY_CODE = {
  UsernameExistsException: 'An account with this username already exists.',
  AliasExistsException: 'An account with this email address already exists.',
  NotAuthorizedException: 'Incorrect username or password.',
  // Said like a wrong password on purpose: the page must not reveal which usernames exist.
  UserNotFoundException: 'Incorrect username or password.',
  UserNotConfirmedException: 'This account is not confirmed yet. Enter the code we sent you.',
  PasswordResetRequiredException: 'You need to choose a new password before you can sign in.',
  CodeMismatchException: 'That code is not right. Check it and try again.',
  ExpiredCodeException: 'That code has expired. Ask for a new one.',
  CodeDeliveryFailureException: 'We could not send the code. Check the email address and try again.',
  LimitExceededException: 'Too many attempts. Please wait a few minutes and try again.',
  TooManyRequestsException: 'Too many requests. Please wait a moment and try again.',
  TooManyFailedAttemptsException: 'Too many failed attempts. Please wait a while and try again.',
  UserLambdaValidationException: 'Your details were not accepted. Please check them and try again.',
  EnableSoftwareTokenMFAException: 'That authenticator code is not right. Check it and try again.',
  InternalErrorException: 'The sign-in service had a problem. Please try again.',
  NetworkError: 'Cannot reach the sign-in service. Check your connection and try again.',
  NotSignedIn: 'You are not signed in.',
  AlreadySignedIn: 'You are already signed in. Sign out first to use another account.',
  NoSignInInProgress: 'This sign-in attempt has expired. Please start again.',
  InvalidConfig: 'The app is not configured correctly (see the console).',
  OriginNotAllowed: 'The app is not configured to send your sign-in to this server (see apiOrigins).',
  JwtExpired: 'Your session has expired. Please sign in again.',
  PasskeyAuthenticationCanceled: 'The passkey was not used. Try again, or sign in another way.',
  PasskeyRegistrationCanceled: 'No passkey was added.',
  PasskeyAlreadyExists: 'This device already has a passkey for your account.',
  PasskeyNotSupported: 'This browser cannot use passkeys.',
  RelyingPartyMismatch: 'Passkeys are set up for another address of this app.',
  WebAuthnNotEnabledException: 'Passkeys are not enabled for this app.',
  WebAuthnConfigurationMissingException: 'Passkeys are not enabled for this app.',
};

// The same code means different things on different pages.
const BY_CONTEXT = {
  confirm: {
    NotAuthorizedException: 'This account is already confirmed. You can sign in.',
    UserNotFoundException: 'There is no account waiting for confirmation with that username.',
  },
  resend: {
    NotAuthorizedException: 'This account is already confirmed. You can sign in.',
    UserNotFoundException: 'There is no account waiting for confirmation with that username.',
  },
  forgot: {
    UserNotFoundException: 'There is no account with that username.',
    NotAuthorizedException: 'The password of this account cannot be reset right now.',
  },
  changePassword: {
    NotAuthorizedException: 'Your current password is not right.',
  },
  mfa: {
    NotAuthorizedException: 'Your sign-in attempt timed out. Please start again.',
  },
  // Managed login's callback (signInWithRedirect_failure): an OAuthError's code is Cognito's OAuth `error`.
  redirect: {
    access_denied: 'The sign-in was cancelled.',
    invalid_request: 'The sign-in did not go through (it was cancelled or refused). Please try again.',
    invalid_grant: 'This sign-in has expired or was already used. Please start again.',
    ProtocolError: 'This sign-in was not started in this browser, so it was refused. Please start again.',
  },
};

/** A sentence for `error`, optionally for one page's `context` ('confirm', 'resend', 'forgot', ...). */
export function messageFor(error, context) {
  if (!error) return '';
  const code = error.code ?? error.name;
  const message = BY_CONTEXT[context]?.[code] ?? BY_CODE[code];
  if (message) return message;
  // Cognito's own words are specific and safe to show for these (e.g. which password rule failed).
  if (code === 'InvalidPasswordException') return `Choose a stronger password: ${stripPrefix(error.message)}`;
  if (code === 'InvalidParameterException') return stripPrefix(error.message) || GENERIC;
  if (error.name === 'OAuthError') return 'The sign-in did not go through. Please try again.';
  if (error.name === 'TokenError') {
    return 'The sign-in service sent a token that failed verification, so it was not trusted. Please try again.';
  }
  // A plain fetch (to the demo API) that cannot connect rejects with a TypeError such as "Failed to fetch".
  if (error.name === 'NetworkError' || (error instanceof TypeError && /fetch|network/i.test(error.message))) {
    return BY_CODE.NetworkError;
  }
  return GENERIC;
}

function stripPrefix(text) {
  return String(text ?? '')
    .replace(/^Password did not conform with policy:\s*/i, '')
    .trim();
}
