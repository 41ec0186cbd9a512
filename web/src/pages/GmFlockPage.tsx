export default function GmFlockPage() {
  return (
    <div className="page">
      <h1>GmFlockPage</h1>
      <p className="empty">This page is being built.</p>
    </div>
  );
}
