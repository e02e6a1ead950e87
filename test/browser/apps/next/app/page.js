import Hydrated from "./hydrated";

export default function Page() {
  return (
    <main>
      <h1>paved Next.js fixture</h1>
      <Hydrated />
    </main>
  );
}
