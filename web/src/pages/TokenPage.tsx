export default function TokenPage() {
  return (
    <div className="page">
      <h1>TokenPage</h1>
      <p className="empty">This page is being built.</p>
    </div>
  );
}
