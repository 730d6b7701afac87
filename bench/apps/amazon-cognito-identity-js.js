// Minimal app: the six basic operations with amazon-cognito-identity-js.
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserAttribute,
  CognitoUserPool,
} from 'amazon-cognito-identity-js';

const pool = new CognitoUserPool({ UserPoolId: 'us-east-1_AbCdEfGhI', ClientId: '4abcdefghijklmnopqrstuv123' });
const settle = (resolve, reject) => (err, result) => (err ? reject(err) : resolve(result));

export const signUp = (username, password, email) =>
  new Promise((resolve, reject) =>
    pool.signUp(username, password, [new CognitoUserAttribute({ Name: 'email', Value: email })], [], settle(resolve, reject)),
  );
export const confirmSignUp = (username, code) =>
  new Promise((resolve, reject) =>
    new CognitoUser({ Username: username, Pool: pool }).confirmRegistration(code, true, settle(resolve, reject)),
  );
export const signIn = (username, password) =>
  new Promise((resolve, reject) =>
    new CognitoUser({ Username: username, Pool: pool }).authenticateUser(
      new AuthenticationDetails({ Username: username, Password: password }),
      { onSuccess: resolve, onFailure: reject },
    ),
  );
export const signOut = () => new Promise((resolve) => (pool.getCurrentUser() ? pool.getCurrentUser().signOut(resolve) : resolve()));
export const currentUser = () => pool.getCurrentUser();
export const accessToken = () =>
  new Promise((resolve, reject) => {
    const user = pool.getCurrentUser();
    if (!user) return reject(new Error('not signed in'));
    user.getSession((err, session) => (err ? reject(err) : resolve(session.getAccessToken().getJwtToken())));
  });
