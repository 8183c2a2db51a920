package dev.paddock.tray;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Arc2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;

/**
 * The tray icon, drawn rather than scaled from a bitmap, so it is crisp at any size (16 px panels to 64 px HiDPI).
 * Every shape has a dark outline and a light fill, so it reads on light and dark panels alike. Idle is a hollow
 * grey ring; loading an amber arc (eight frames turning while nothing says how far, else filling clockwise from the
 * top with the load's progress); running a green disc; failed a red disc with a bar.
 */
public final class TrayIcons {
    /** What the icon shows. */
    public enum Kind {
        IDLE,
        LOADING,
        RUNNING,
        FAILED
    }

    /** Frames of the loading animation. */
    public static final int LOADING_FRAMES = 8;

    private static final Color OUTLINE = new Color(0x20, 0x20, 0x20, 220);
    private static final Color GREY = new Color(0xB0, 0xB4, 0xBA);
    private static final Color AMBER = new Color(0xF5, 0xA6, 0x23);
    private static final Color GREEN = new Color(0x2E, 0xC2, 0x5B);
    private static final Color RED = new Color(0xE5, 0x48, 0x4D);

    private TrayIcons() {}

    /** The icon for {@code kind} at {@code size} pixels square; {@code frame} turns the loading arc. */
    public static BufferedImage draw(Kind kind, int size, int frame) {
        return draw(kind, size, frame, -1);
    }

    /**
     * The icon for {@code kind}; while loading with a known {@code progress} (0 to 1) the arc fills to it instead of
     * turning.
     */
    public static BufferedImage draw(Kind kind, int size, int frame, double progress) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            double pad = size * 0.10;
            double d = size - 2 * pad;
            float ring = (float) Math.max(1.5, size * 0.14);
            Ellipse2D circle = new Ellipse2D.Double(pad, pad, d, d);
            switch (kind) {
                case IDLE -> {
                    stroke(g, circle, ring + 2f, OUTLINE);
                    stroke(g, circle, ring, GREY);
                }
                case LOADING -> {
                    stroke(g, circle, ring + 2f, OUTLINE);
                    stroke(g, circle, ring, GREY);
                    boolean known = progress >= 0;
                    double start = known ? 90 : 90 - (frame % LOADING_FRAMES) * (360.0 / LOADING_FRAMES);
                    double extent = known ? -Math.max(12, Math.min(1, progress) * 360) : -120;
                    Arc2D arc = new Arc2D.Double(pad, pad, d, d, start, extent, Arc2D.OPEN);
                    g.setStroke(new BasicStroke(ring, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                    g.setColor(AMBER);
                    g.draw(arc);
                }
                case RUNNING -> disc(g, circle, GREEN);
                case FAILED -> {
                    disc(g, circle, RED);
                    double w = d * 0.5;
                    double h = Math.max(2, d * 0.16);
                    Path2D bar = new Path2D.Double();
                    bar.append(
                            new java.awt.geom.RoundRectangle2D.Double((size - w) / 2, (size - h) / 2, w, h, h, h),
                            false);
                    g.setColor(Color.WHITE);
                    g.fill(bar);
                }
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Writes the running icon as a PNG, {@code PATH [SIZE]} (256 by default): the package's application icon. */
    public static void main(String[] args) throws java.io.IOException {
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        javax.imageio.ImageIO.write(draw(Kind.RUNNING, size, 0), "png", new java.io.File(args[0]));
    }

    private static void stroke(Graphics2D g, Ellipse2D c, float width, Color color) {
        g.setStroke(new BasicStroke(width));
        g.setColor(color);
        g.draw(c);
    }

    private static void disc(Graphics2D g, Ellipse2D c, Color color) {
        g.setColor(OUTLINE);
        double grow = Math.max(1, c.getWidth() * 0.06);
        g.fill(new Ellipse2D.Double(
                c.getX() - grow, c.getY() - grow, c.getWidth() + 2 * grow, c.getHeight() + 2 * grow));
        g.setColor(color);
        g.fill(c);
    }
}
