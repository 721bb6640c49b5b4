/** On WeChat the caller is whoever is signed in to WeChat: there is nothing to pick. */
export default function DevIdentity() {
  return null
}
