export default function ProtocolPage() {
  return (
    <div className="page">
      <h1>ProtocolPage</h1>
      <p className="empty">This page is being built.</p>
    </div>
  );
}
