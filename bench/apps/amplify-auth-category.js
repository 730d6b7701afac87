// Amplify v6's whole auth category: everything 'aws-amplify/auth' exports, and `Amplify` to configure it.
// (The app behind ../shared/SIZE.md's 49,708 B: esbuild --bundle --minify --format=esm, gzip -9.)
import { Amplify } from 'aws-amplify';

export * from 'aws-amplify/auth';
export { Amplify };
