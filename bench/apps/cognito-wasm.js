// Minimal app: the six basic operations with cognito-wasm (what a sign-in page and a guarded route need).
import { CognitoAuth } from 'cognito-wasm';

const auth = new CognitoAuth({ userPoolId: 'us-east-1_AbCdEfGhI', clientId: '4abcdefghijklmnopqrstuv123' });

export const signUp = (username, password, email) => auth.signUp({ username, password, options: { userAttributes: { email } } });
export const confirmSignUp = (username, code) => auth.confirmSignUp({ username, confirmationCode: code });
export const signIn = (username, password) => auth.signIn({ username, password });
export const signOut = () => auth.signOut();
export const currentUser = () => auth.currentUser();
export const accessToken = () => auth.getAccessToken();
