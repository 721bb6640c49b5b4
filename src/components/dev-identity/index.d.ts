/** Local-run identity picker: real in the H5 build (index.h5.tsx), absent on WeChat (index.weapp.tsx). */
export default function DevIdentity(): JSX.Element | null
