// Minimal app: the six basic operations with Amplify v6 (aws-amplify/auth).
import { Amplify } from 'aws-amplify';
import {
  signUp as amplifySignUp,
  confirmSignUp as amplifyConfirmSignUp,
  signIn as amplifySignIn,
  signOut as amplifySignOut,
  getCurrentUser,
  fetchAuthSession,
} from 'aws-amplify/auth';

Amplify.configure({
  Auth: { Cognito: { userPoolId: 'us-east-1_AbCdEfGhI', userPoolClientId: '4abcdefghijklmnopqrstuv123' } },
});

export const signUp = (username, password, email) =>
  amplifySignUp({ username, password, options: { userAttributes: { email } } });
export const confirmSignUp = (username, code) => amplifyConfirmSignUp({ username, confirmationCode: code });
export const signIn = (username, password) => amplifySignIn({ username, password });
export const signOut = () => amplifySignOut();
export const currentUser = () => getCurrentUser();
export const accessToken = async () => (await fetchAuthSession()).tokens?.accessToken?.toString();
